import { z } from "zod";
import { id, time, count, rate, rateWindow } from "./fields";

// Concurrency key rules, their per-key overrides, the keys view, and an org's own limits
// (docs/limits.md).

export const keyRule = z.strictObject({
  id,
  orgId: id,
  name: z.string(),
  flowId: id.nullable().describe("the flow it covers; null with queueId null: the whole org"),
  queueId: id.nullable().describe("the queue it covers"),
  key: z.strictObject({
    source: z.enum(["submission", "payload"]).describe('"submission": the submission\'s concurrencyKey; "payload": the value at path'),
    path: z.string().optional().describe("a JSON pointer into the payload"),
  }),
  limit: count.nullable().describe("executions in flight per key (null: a rate limit only)"),
  rateLimit: rate.describe("starts per window, per key"),
  overrides: count.describe("keys with a limit of their own"),
  createdAt: time,
  updatedAt: time,
});

export const keyOverride = z.strictObject({ key: z.string(), limit: count, createdAt: time });

export const keyOverrides = z.strictObject({ ruleId: id, items: z.array(keyOverride) });

export const keyActivity = z.strictObject({
  key: z.string(),
  running: count.describe("holding a slot (RUNNING, and PAUSED holding one)"),
  queued: count,
  scheduled: count,
  limit: count.nullable().describe("the key's limit: its override's, else the rule's"),
  overridden: z.boolean(),
  rate: z
    .strictObject({ starts: count.describe("inside the window now"), limit: count, periodMs: count, nextStartAt: time.nullable().describe("when used up: when the next start is allowed") })
    .nullable(),
});

export const keysView = z.strictObject({
  ruleId: id,
  total: count.describe("keys with executions running, queued or scheduled (matching the search)"),
  items: z.array(keyActivity).describe("the top keys in the order asked for"),
});

export const orgLimits = z.strictObject({
  orgId: id,
  rateLimit: rate,
  rateWindow,
  maxQueued: count.nullable().describe("backlog cap: null = the platform default, 0 = none"),
  effectiveMaxQueued: count.describe("what applies (0 = no cap)"),
  platformDefaultMaxQueued: count,
  queued: count,
  scheduled: count,
  alertQueueAgeMs: count.nullable().describe("queue-age alert threshold in ms (docs/operations.md, \"Alerts\"): null = the platform's"),
  alertStuckRunMs: count.nullable().describe("stuck-run alert threshold in ms: null = the platform's"),
  platformAlertQueueAgeMs: count.nullable().describe("the platform's (null: off)"),
  platformAlertStuckRunMs: count.nullable().describe("the platform's (null: off)"),
});

export type KeyRule = z.infer<typeof keyRule>;
export type KeyOverride = z.infer<typeof keyOverride>;
export type KeyActivity = z.infer<typeof keyActivity>;
export type KeysView = z.infer<typeof keysView>;
export type OrgLimits = z.infer<typeof orgLimits>;
