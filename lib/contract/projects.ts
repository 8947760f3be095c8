import { z } from "zod";
import { id, time, count, named } from "./fields";

// Projects and concurrency pools, as every read and write of them answers.

export const project = z.strictObject({
  id,
  orgId: id,
  name: z.string(),
  maxConcurrentJobs: count.nullable().describe("null = the platform's defaultProjectConcurrency"),
  poolId: id.nullable(),
  defaultQueueId: id.nullable(),
  externalId: z.string().nullable().describe("set by embedding provisioning"),
  createdAt: time,
  updatedAt: time,
  inFlight: count.describe("executions holding a slot"),
  queued: count,
  effectiveMaxConcurrentJobs: count.describe("what dispatch applies: maxConcurrentJobs, or the platform default (0 = no cap)"),
  platformDefaultConcurrentJobs: count.describe("0 = no cap"),
});

export const pool = z.strictObject({
  id,
  orgId: id,
  key: z.string(),
  limit: count.describe("shared by all of the pool's projects"),
  createdAt: time,
  updatedAt: time,
  projects: z.array(named),
  inFlight: count,
});

export const deleted = z.strictObject({ ended: count });

export type Project = z.infer<typeof project>;
export type Pool = z.infer<typeof pool>;
export type Deleted = z.infer<typeof deleted>;
