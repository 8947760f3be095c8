import { z } from "zod";
import { behavior } from "../flows/flows";
import { executionStates } from "../executions/execution-states";

/**
 * The JSON replies of the API, one schema per concept, as the client receives them: Dates
 * are ISO 8601 strings, BigInt ids numbers, empty columns null. lib/api/openapi.ts documents
 * each operation's success reply with these, and every integration test checks the replies
 * it gets against them (tests/integration/helpers/api.ts), so the two cannot drift apart.
 * Strict objects: a field the server adds without documenting it fails the tests too.
 */

const id = z.uuid();
const time = z.iso.datetime();
const count = z.number().int().min(0);
const anyJson = z.unknown().describe("any JSON value");
const state = z.enum(executionStates);
const kind = z.enum(["job", "workflow", "access_request"]);
const named = z.strictObject({ id, name: z.string() });

// ─── Organization configuration ──────────────────────────────────────────────

/** A project: its configuration and live usage (the reply of every project read and write). */
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

/** A concurrency pool, with the in-flight all of its projects share (the reply of every pool read and write). */
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

export const queue = z.strictObject({
  id,
  orgId: id,
  name: z.string(),
  priority: z.number().int().describe("higher goes first within the org"),
  concurrency: count.describe("0 = no cap"),
  createdAt: time,
  updatedAt: time,
});

/** A flow, with what it is doing now (the reply of every flow read and write). */
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
  activeSlots: count.describe("RUNNING and slot-holding PAUSED executions"),
  queued: count,
});

export const trigger = z.strictObject({ id, orgId: id, flowId: id, name: z.string(), type: z.enum(["schedule", "webhook"]), createdAt: time });

/** Deleting a project or flow: how many of its live executions were cancelled or killed first. */
export const deleted = z.strictObject({ ended: count });

// ─── Fair scheduler and settings ─────────────────────────────────────────────

/** One org in the platform list. */
export const orgConcurrencyRow = z.strictObject({
  organizationId: id,
  name: z.string(),
  currentInFlight: count,
  queued: count,
  maxConcurrency: count.describe("0 = no cap"),
  weight: z.number().int().min(1),
  ratio: z.number().min(0).describe("load ratio: currentInFlight / weight"),
  rank: z.number().int().min(1).nullable().describe("1 = gets the next free slot; null when nothing of the org could start"),
  hasData: z.boolean().describe("false until the org's first dispatch"),
});

/** One org's concurrency (its members' view: no cross-org rank). */
export const orgConcurrency = orgConcurrencyRow.omit({ name: true, rank: true });

const samplePoint = z.strictObject({ at: time, inFlight: z.number().min(0), queued: z.number().min(0) });

/** In-flight and queued over time, averaged into buckets. */
export const samples = z.strictObject({
  since: time.describe("start of the window served"),
  bucketSeconds: z.number().int().min(1),
  points: z.array(samplePoint),
});

export const flowSamples = samples.extend({ flowId: id });

export const platformSamples = z.strictObject({
  since: time.describe("start of the window served"),
  bucketSeconds: z.number().int().min(1),
  series: z.array(z.strictObject({ organizationId: id, name: z.string() })).describe("the named orgs, busiest first"),
  hasOther: z.boolean().describe("whether some orgs were summed into `other`"),
  points: z.array(
    z.strictObject({
      at: time,
      inFlight: z.record(id, z.number().min(0)).describe("average in-flight per named org (absent = 0)"),
      other: z.number().min(0).describe("everyone not named, summed"),
    }),
  ),
});

/** An org's parallel execution settings (settings_value). */
export const parallelSettings = z.strictObject({ jobs: count, workflows: count, access_requests: count, max_paused_slots: count });

const settingDetail = z.strictObject({
  current_value: count.describe("min(env_value, settings_value): what dispatch applies"),
  env_value: count,
  settings_value: count,
});
export const parallelSettingDetails = z.strictObject({ jobs: settingDetail, workflows: settingDetail, access_requests: settingDetail, max_paused_slots: settingDetail });

export const platformSettings = z.strictObject({
  globalCapacity: count.describe("0 = no cap"),
  defaultProjectConcurrency: count.describe("for projects without their own maxConcurrentJobs (0 = no cap)"),
});

// ─── Executions ──────────────────────────────────────────────────────────────

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
  createdAt: time,
  startedAt: time.nullable(),
  pausedAt: time.nullable(),
  finishedAt: time.nullable(),
});

/** Why a queued execution has not started (lib/dispatch/policy/explain.ts). */
const waitReason = z.discriminatedUnion("code", [
  z.strictObject({
    code: z.literal("cap_full"),
    cap: z.enum(["global", "org", "jobs", "access_requests", "workflows", "pipeline", "controller", "project", "pool", "flow", "queue"]),
    scope: z.string(),
    limit: count,
    inFlight: count,
    message: z.string(),
  }),
  z.strictObject({ code: z.literal("fair_order"), orgsAhead: count, aheadInOrg: count, message: z.string() }),
  z.strictObject({ code: z.literal("no_worker"), queue: z.string(), message: z.string() }),
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
  explain: z.array(waitReason).nullable().describe("while QUEUED, why it waits (empty: nothing holds it back); null otherwise"),
});

export const executionPage = z.strictObject({
  items: z.array(execution),
  nextCursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last"),
});

/** POST /api/executions: QUEUED, or CANCELLED / FAILED at once by its flow's limit. */
export const submitted = z.strictObject({ id, state: z.enum(["QUEUED", "CANCELLED", "FAILED"]), reason: z.string().nullable() });

/** Kill or delete: the execution and its live descendants that were killed. */
export const killed = z.strictObject({ killed: z.array(id) });

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
  queued: z.array(execution).describe("in dispatch order, at most 200"),
});

// ─── Worker protocol ─────────────────────────────────────────────────────────

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

/** Why a lease call took no effect for one execution. */
const refused = z.strictObject({
  executionId: id,
  ok: z.literal(false),
  code: z.enum(["not_found", "killed", "lease_lost"]),
  state: state.nullable(),
});

const outcomeResult = z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true) }), refused]);

/** The reply of the batch lease calls: a result per execution sent, in order. */
const results = <T extends z.ZodType>(result: T) => z.strictObject({ results: z.array(result) });

export const claimed = z.strictObject({
  claimed: z.array(claimedExecution),
  completed: z.array(outcomeResult).describe("a result per outcome sent in `complete`"),
});

export const completed = results(outcomeResult);
export const heartbeats = results(z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true), leaseExpiresAt: time }), refused]));
export const released = results(z.discriminatedUnion("ok", [z.strictObject({ executionId: id, ok: z.literal(true), state: z.literal("QUEUED") }), refused]));

export const paused = z.strictObject({ state: z.literal("PAUSED"), holdsSlot: z.boolean().describe("false: it gave its slot back (max_paused_slots)") });

export const resumed = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("RUNNING"), leaseToken: z.number().int().min(0), leaseExpiresAt: time }),
  z.strictObject({ state: z.literal("QUEUED") }),
]);

// ─── Embedding, audit, health, this document ─────────────────────────────────

export const provisioned = z.strictObject({
  user: z.strictObject({ id: z.string(), email: z.email() }),
  project: z.strictObject({ id, name: z.string(), maxConcurrentJobs: count.nullable(), poolId: id.nullable() }),
  poolId: id.nullable(),
});

export const auditPage = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.number().int().min(1),
      at: time,
      orgId: id.nullable().describe("null for platform-wide changes"),
      orgName: z.string().nullable(),
      actor: z.string(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      before: anyJson,
      after: anyJson,
    }),
  ),
  nextBefore: z.number().int().nullable().describe("pass as `before` for the next page; null on the last"),
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

/**
 * Every error reply (RFC 9457 problem details, application/problem+json). Not strict: some
 * carry more, such as the lease calls' `results`.
 */
export const problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().describe("stable, for programs: not_found, validation_failed, trigger_locked, …"),
  detail: z.string(),
  requestId: z.string().describe("quote it when reporting a problem; the server log has the details"),
  errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional().describe("validation errors (422): which field, which rule"),
});
