import { z } from "zod";
import { id, time, count, behavior, rate, rateWindow, retry } from "./fields";
import { execution, executionRow } from "./executions";

// Flows and their triggers, and a flow's concurrency tab.

export const flow = z.strictObject({
  id,
  orgId: id,
  projectId: id,
  name: z.string(),
  defaultQueueId: id.nullable(),
  childConcurrency: count.nullable().describe("default `concurrency` of its executions that set none"),
  createdAt: time,
  updatedAt: time,
  concurrency: z.strictObject({ limit: count.nullable().describe("null = no flow limit"), behavior }),
  rateLimit: rate,
  rateWindow,
  maxQueued: count.nullable().describe("backlog cap: at most this many waiting (queued and scheduled); null = none"),
  debounce: z
    .strictObject({ source: z.enum(["submission", "payload"]), path: z.string().optional(), delayMs: count, maxDelayMs: count })
    .nullable(),
  retry: retry.describe("the retry policy of its submissions; null = FAILED is final"),
  activeSlots: count.describe("RUNNING and slot-holding PAUSED executions"),
  queued: count.describe("queued and startable when a slot frees"),
  scheduled: count.describe("queued but not startable before their startAfter"),
});

export const trigger = z.strictObject({ id, orgId: id, flowId: id, name: z.string(), type: z.enum(["schedule", "webhook"]), createdAt: time });

export const flowConcurrency = z.strictObject({
  flowId: id,
  orgId: id,
  projectId: id,
  name: z.string(),
  limit: count.nullable().describe("null = no flow limit"),
  behavior,
  activeSlots: count,
  totalSlots: count.nullable(),
  queuedCount: count,
  stuckAfterMs: count.describe("a RUNNING execution whose last heartbeat is older than this is stuck"),
  running: z.array(execution.extend({ stuck: z.boolean() })).describe("RUNNING and PAUSED, at most 200"),
  queued: z.array(executionRow).describe("in dispatch order, at most 200, each with why it waits"),
});

export type Flow = z.infer<typeof flow>;
export type Trigger = z.infer<typeof trigger>;
export type FlowConcurrency = z.infer<typeof flowConcurrency>;
