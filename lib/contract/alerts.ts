import { z } from "zod";
import { executionRow } from "./executions";
import { count, id, time } from "./fields";

// Alerts on queue age and stuck runs (docs/operations.md, "Alerts").

export const alertKinds = ["queue_age", "stuck_run"] as const;
const alertKind = z.enum(alertKinds);

const threshold = z.strictObject({
  ms: count.nullable().describe("null: the rule is off"),
  source: z.enum(["org", "platform"]).describe("the org's own value, or the platform's default"),
});

const counts = z.strictObject({ queue_age: count, stuck_run: count }).describe("every firing alert, also those beyond the list");

export const alert = z.strictObject({
  id: z.string().describe("the kind and what it is about (queue_age:{queueId}, stuck_run:{executionId}): the same while it fires"),
  kind: alertKind,
  orgId: id,
  orgName: z.string(),
  queue: z.strictObject({ id, name: z.string() }),
  execution: z.strictObject({ id, flowId: id.nullable(), flowName: z.string().nullable() }).describe("queue_age: the queue's longest-waiting startable execution; stuck_run: the running one"),
  worker: z.strictObject({ id, name: z.string() }).nullable().describe("stuck_run: the worker holding its lease"),
  since: time.describe("queue_age: when it became startable; stuck_run: when its current run began"),
  forMs: count.describe("how long, when evaluated"),
  thresholdMs: count,
  thresholdSource: z.enum(["org", "platform"]),
  waitingFor: executionRow.shape.waitingFor.describe("queue_age: the first reason it waits (null: only its turn in fair order); stuck_run: null"),
  message: z.string().describe("the alert in a sentence"),
});

export const orgAlerts = z.strictObject({
  orgId: id,
  evaluatedAt: time,
  thresholds: z.strictObject({ queue_age: threshold, stuck_run: threshold }),
  counts,
  alerts: z.array(alert).describe("most overdue first (relative to the threshold), at most 200"),
});

export const platformAlerts = z.strictObject({
  evaluatedAt: time,
  counts,
  orgs: z.array(z.strictObject({ orgId: id, orgName: z.string(), queue_age: count, stuck_run: count })).describe("the orgs with a firing alert, most alerts first"),
  alerts: z.array(alert).describe("most overdue first (relative to the threshold), at most 200"),
});

export type Alert = z.infer<typeof alert>;
export type AlertKindName = (typeof alertKinds)[number];
export type OrgAlerts = z.infer<typeof orgAlerts>;
export type PlatformAlerts = z.infer<typeof platformAlerts>;
