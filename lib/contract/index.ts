// Every reply schema of the API (see fields.ts for why they live here).
export * from "./projects";
export * from "./queues";
export * from "./flows";
export * from "./orgs";
export * from "./samples";
export * from "./platform";
export * from "./executions";
export * from "./workers";
export * from "./audit";
export * from "./embed";
export * from "./problem";
export * from "./keys";
export * from "./alerts";
