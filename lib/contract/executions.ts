import { z } from "zod";
import { id, time, count, anyJson, state, kind, named, concurrencyCapCodes, rateCapCodes, retry } from "./fields";

// Executions: lists, detail with history and explain, submit, kill.

export const execution = z.strictObject({
  id,
  orgId: id,
  projectId: id,
  flowId: id.nullable(),
  parentId: id.nullable(),
  rootId: id.nullable().describe("top-level ancestor; null for a top-level execution"),
  depth: count,
  kind,
  queue: z.string().describe("queue name"),
  priority: z.number().int(),
  concurrency: count.nullable().describe("cap on its running descendants"),
  triggerId: id.nullable(),
  payload: z.record(z.string(), z.unknown()),
  state,
  holdsSlot: z.boolean(),
  resumed: z.boolean().describe("paused, gave its slot back and was resumed: dispatched before new work"),
  attempts: count,
  maxAttempts: count,
  worker: named.nullable().describe("the lease holder"),
  leaseExpiresAt: time.nullable(),
  heartbeatAt: time.nullable(),
  reason: z.string().nullable(),
  result: anyJson,
  submittedBy: z.string().nullable(),
  concurrencyKey: z.string().nullable(),
  keys: z.array(z.strictObject({ ruleId: id, value: z.string() })).describe("its key under each concurrency key rule it fell under at submit"),
  startAfter: time.nullable().describe("not startable before this (delayed start, debounce)"),
  scheduled: z.boolean().describe("QUEUED and waiting for startAfter"),
  idempotencyKey: z.string().nullable(),
  debounceKey: z.string().nullable(),
  retry: retry.describe("its retry policy (docs/lifecycle.md); null = FAILED is final"),
  rerunOf: id.nullable().describe("the finished execution this one reruns"),
  forced: z.strictObject({ at: time, by: z.string(), reason: z.string() }).nullable().describe("run now by an admin, ignoring caps (docs/lifecycle.md)"),
  pause: z
    .strictObject({
      waitingFor: z.enum(["delay", "approval"]),
      until: time.nullable().describe("when the platform acts on it by itself; null: never (an approval without a timeout)"),
      onDue: z.enum(["resume", "fail"]).nullable().describe("what it does then"),
    })
    .nullable()
    .describe("while PAUSED: what it waits for (docs/lifecycle.md, \"Pauses\")"),
  createdAt: time,
  startedAt: time.nullable(),
  pausedAt: time.nullable(),
  finishedAt: time.nullable(),
});

const capKey = z.strictObject({
  ruleId: id,
  rule: z.string().describe("the concurrency key rule's name"),
  value: z.string().describe("the key"),
  of: z.string().describe('what the rule covers: "flow etl", "queue default", "the organization"'),
});

const waitReason = z.discriminatedUnion("code", [
  z.strictObject({
    code: z.literal("cap_full"),
    cap: z.enum(concurrencyCapCodes),
    scope: z.string(),
    limit: count,
    inFlight: count,
    key: capKey.optional().describe("for a key's cap"),
    forced: count.optional().describe("how many of those in flight an admin forced to run now (docs/lifecycle.md)"),
    message: z.string(),
  }),
  z.strictObject({
    code: z.literal("rate_limited"),
    cap: z.enum(rateCapCodes),
    scope: z.string(),
    limit: count,
    periodMs: count,
    starts: count.describe("starts inside the window now"),
    nextStartAt: time.describe("when the window lets the next start through"),
    key: capKey.optional(),
    message: z.string(),
  }),
  z.strictObject({ code: z.literal("scheduled"), startAfter: time, message: z.string() }),
  z.strictObject({
    code: z.literal("retry_backoff"),
    attempt: count.describe("the attempt it starts as"),
    maxAttempts: count,
    startAfter: time.describe("when its backoff has passed"),
    message: z.string(),
  }),
  z.strictObject({ code: z.literal("fair_order"), orgsAhead: count, aheadInOrg: count, message: z.string() }),
  z.strictObject({ code: z.literal("no_worker"), queue: z.string(), message: z.string() }),
  z.strictObject({
    code: z.literal("workers_busy"), queue: z.string(), workers: count, holding: count, capacity: count,
    message: z.string().describe("every live worker serving the queue holds all it declared it runs at once"),
  }),
  z.strictObject({ code: z.literal("workers_not_claiming"), queue: z.string(), workers: count, lastClaimAt: time.nullable(), message: z.string() }),
  z.strictObject({
    code: z.literal("paused"),
    waitingFor: z.enum(["delay", "approval"]),
    until: time.nullable(),
    onDue: z.enum(["resume", "fail"]).nullable(),
    holdsSlot: z.boolean(),
    message: z.string(),
  }),
  z.strictObject({ code: z.literal("resuming"), queue: z.string(), message: z.string().describe("resumed in the slot it kept: the next claim of a worker serving its queue continues it") }),
  z.strictObject({ code: z.literal("not_queued"), state, message: z.string() }),
]);

export const executionDetail = execution.extend({
  transitions: z.array(
    z.strictObject({
      from: state.nullable(),
      to: state,
      holdsSlot: z.boolean(),
      reason: z.string().nullable(),
      actor: z.string().nullable(),
      workerId: id.nullable(),
      workerName: z.string().nullable(),
      at: time,
    }),
  ),
  explain: z.array(waitReason).nullable().describe("while QUEUED, why it waits (empty: nothing holds it back); while PAUSED, what for; null otherwise"),
});

/** A row of a list: while QUEUED, the first reason it waits (null: nothing but its turn in fair order; docs/operations.md). */
export const executionRow = execution.extend({ waitingFor: waitReason.nullable().describe("while QUEUED, the first reason it waits; null: only its turn in fair order (or not queued)") });

export const executionPage = z.strictObject({
  items: z.array(executionRow),
  nextCursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last"),
});

/** POST /api/executions/{id}/force. */
export const forcedReply = z.strictObject({
  id,
  state: z.literal("QUEUED").describe("it starts at the next claim of a worker serving its queue"),
  forced: z.strictObject({ at: time, by: z.string(), reason: z.string() }),
});

export const submitted = z.strictObject({
  id,
  state: state.describe("QUEUED, or CANCELLED / FAILED when its flow was at its limit with that behavior; any state for an existing execution"),
  reason: z.string().nullable(),
  startAfter: time.nullable().describe("scheduled: not startable before this"),
  deduplicatedBy: z.enum(["idempotencyKey", "debounce"]).nullable().describe("set (with status 200) when nothing was created and this is the existing execution the submission was folded into"),
});

export const killed = z.strictObject({ killed: z.array(id) });

/** How many executions one bulk call acts on at most (docs/lifecycle.md, "Bulk actions"). */
export const bulkCaps = { kill: 10_000, rerun: 1_000 } as const;

const asOf = time.describe("the filter's `to` when it had none: what was submitted after this was left alone");
export const bulkKilled = z.strictObject({
  matched: z.number().int().min(0).describe("live executions matching the filter"),
  killed: z.number().int().min(0).describe("executions ended, their live descendants included; 0 for a dry run"),
  remaining: z.number().int().min(0).describe("matching ones still live: more than the call's limit, or a dry run"),
  asOf,
});
export const bulkRerun = z.strictObject({
  matched: z.number().int().min(0).describe("finished executions matching the filter"),
  rerun: z.number().int().min(0).describe("new executions created; 0 for a dry run"),
  notRerun: z.array(z.strictObject({ code: z.string().describe("debounce, idempotencyKey, trigger_locked, …"), count: z.number().int().min(1) })),
  stoppedBy: z.enum(["backlog_full"]).nullable().describe("set when a backlog cap refused a rerun: the rest were not tried"),
  remaining: z.number().int().min(0).describe("matching ones not tried in this call"),
  asOf,
});

export type Execution = z.infer<typeof execution>;
export type ExecutionDetail = z.infer<typeof executionDetail>;
export type ExecutionPage = z.infer<typeof executionPage>;
export type WaitReason = z.infer<typeof waitReason>;
export type Submitted = z.infer<typeof submitted>;
export type Killed = z.infer<typeof killed>;
export type BulkKilled = z.infer<typeof bulkKilled>;
export type BulkRerun = z.infer<typeof bulkRerun>;
