import { z } from "zod";
import { count } from "./fields";

// Platform settings, health and the OpenAPI document itself.

export const platformSettings = z.strictObject({
  globalCapacity: count.describe("0 = no cap"),
  defaultProjectConcurrency: count.describe("for projects without their own maxConcurrentJobs (0 = no cap)"),
  defaultMaxQueued: count.describe("backlog cap of orgs that set none (0 = no cap)"),
  maxForcedPerOrg: count.describe("forced (run now) executions live per org at most; 0 = run now is off"),
  alertQueueAgeMs: count.nullable().describe("queue-age alert threshold of orgs that set none, in ms (docs/operations.md, \"Alerts\"); null = off"),
  alertStuckRunMs: count.nullable().describe("stuck-run alert threshold of orgs that set none, in ms; null = off"),
});

export const health = z.strictObject({ status: z.literal("ok"), database: z.strictObject({ status: z.literal("ok"), latencyMs: count }) });

export const healthDegraded = z.strictObject({ status: z.literal("degraded"), database: z.strictObject({ status: z.literal("unreachable") }) });

export const openApi = z.strictObject({
  openapi: z.literal("3.1.0"),
  info: z.strictObject({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.strictObject({ url: z.string() })),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

export type PlatformSettings = z.infer<typeof platformSettings>;
export type Health = z.infer<typeof health>;
export type HealthDegraded = z.infer<typeof healthDegraded>;
export type OpenApi = z.infer<typeof openApi>;
