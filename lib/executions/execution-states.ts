/** Every state an execution can be in (the execution_state enum), for schemas and the UI's filters alike. */
export const executionStates = ["QUEUED", "RUNNING", "PAUSED", "SUCCESS", "FAILED", "CANCELLED", "KILLED"] as const;

export type ExecutionStateName = (typeof executionStates)[number];

/** States that still hold or wait for a slot: the ones a kill applies to. */
export const liveStates: readonly ExecutionStateName[] = ["QUEUED", "RUNNING", "PAUSED"];
