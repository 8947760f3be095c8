import { z } from "zod";
import { id, time, state, kind } from "./fields";

// The worker protocol's replies.

export const registered = z.strictObject({
  workerId: id,
  orgId: id.nullable().describe("the org the worker token is scoped to; null = every org"),
  queues: z.array(z.string()).describe("empty = every queue"),
});

const claimedExecution = z.strictObject({
  id,
  orgId: id,
  projectId: id,
  flowId: id.nullable(),
  parentId: id.nullable(),
  queue: z.string(),
  kind,
  priority: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  attempt: z.number().int().min(1),
  leaseToken: z.number().int().min(0).describe("present it with every heartbeat and outcome"),
  leaseExpiresAt: time,
  resumed: z.boolean().describe("continue it rather than start over"),
});

const refused = z.strictObject({
  executionId: id,
  ok: z.literal(false),
  code: z.enum(["not_found", "killed", "lease_lost"]),
  state: state.nullable(),
});

const outcomeResult = z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true) }), refused]);

const results = <T extends z.ZodType>(result: T) => z.strictObject({ results: z.array(result) });

export const claimed = z.strictObject({
  claimed: z.array(claimedExecution),
  completed: z.array(outcomeResult).describe("a result per outcome sent in `complete`"),
});

export const completed = results(outcomeResult);

export const heartbeats = results(z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true), leaseExpiresAt: time }), refused]));

export const released = results(z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true), state: z.literal("QUEUED") }), refused]));

export const paused = z.strictObject({
  state: z.literal("PAUSED"),
  holdsSlot: z.boolean().describe("false: it gave its slot back (max_paused_slots)"),
  waitingFor: z.enum(["delay", "approval"]),
  until: time.nullable().describe("when the platform resumes it (delay) or acts on its timeout (approval); null: never by itself"),
});

export const resumed = z.strictObject({
  state: z.literal("QUEUED").describe("continued at the next claim of a worker serving its queue, ahead of new work"),
  holdsSlot: z.boolean().describe("true: it kept its slot and holds it on the way; false: it passes every cap again"),
});

export type Registered = z.infer<typeof registered>;
export type Claimed = z.infer<typeof claimed>;
export type Completed = z.infer<typeof completed>;
export type Heartbeats = z.infer<typeof heartbeats>;
export type Released = z.infer<typeof released>;
export type Paused = z.infer<typeof paused>;
export type Resumed = z.infer<typeof resumed>;

/** An org's Workers tab (docs/operations.md, "Workers and queues"). */
export const workersOverview = z.strictObject({
  workers: z.array(z.strictObject({
    id,
    name: z.string(),
    orgId: id.nullable().describe("null: a worker of every org"),
    queues: z.array(z.string()).describe("empty = every queue"),
    concurrency: z.number().int().min(1).nullable().describe("what it declared it runs at once; null: not declared"),
    holding: z.number().int().min(0).describe("executions of this org it runs now"),
    holdingAll: z.number().int().min(0).describe("executions of every org it runs now"),
    lastSeenAt: time,
    lastClaimAt: time.nullable().describe("when it last asked for work"),
    live: z.boolean().describe("seen within the liveness window (60 s)"),
    leaseExpiries24h: z.number().int().min(0).describe("its leases on this org's executions that ran out in the last 24 h"),
  })).describe("workers seen in the last 24 h, live ones first"),
  queues: z.array(z.strictObject({
    id,
    name: z.string(),
    priority: z.number().int(),
    concurrency: z.number().int().min(0).describe("0 = no cap"),
    queued: z.number().int().min(0),
    running: z.number().int().min(0),
    oldestQueuedAt: time.nullable().describe("when the longest-waiting of its lanes' next executions was submitted"),
    workers: z.array(z.string()).describe("names of the live workers serving it"),
  })),
});

export type WorkersOverview = z.infer<typeof workersOverview>;
