import { describe, expect, it } from "vitest";
import { durationInWords, queueAgeAlerts, rankAlerts, stuckRunAlerts, type OrgAlertConfig, type QueueHead, type RunningExecution } from "./decide-alerts";
import { effectiveThresholds } from "./thresholds";

const now = new Date("2026-12-05T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const orgs = new Map<string, OrgAlertConfig>([
  ["o1", { name: "Acme", thresholds: effectiveThresholds({ queueAgeMs: 10 * MIN, stuckRunMs: 60 * MIN }, { queueAgeMs: null, stuckRunMs: null }) }],
  ["o2", { name: "Beta", thresholds: effectiveThresholds({ queueAgeMs: 10 * MIN, stuckRunMs: 60 * MIN }, { queueAgeMs: 2 * MIN, stuckRunMs: null }) }],
  ["off", { name: "Quiet", thresholds: effectiveThresholds({ queueAgeMs: null, stuckRunMs: null }, { queueAgeMs: null, stuckRunMs: null }) }],
]);
const head = (over: Partial<QueueHead>): QueueHead => ({ orgId: "o1", queueId: "q1", queueName: "default", executionId: "e1", flowId: null, flowName: null, waitingSince: now, ...over });
const run = (over: Partial<RunningExecution>): RunningExecution => ({
  orgId: "o1", queueId: "q1", queueName: "default", executionId: "0123abcd-0000-0000-0000-000000000000", flowId: "f1", flowName: "etl", workerId: "w1", workerName: "box-1", runningSince: now, ...over,
});

describe("queue age", () => {
  it("fires for a queue whose oldest head waited longer than the threshold, once per queue, for that head", () => {
    const alerts = queueAgeAlerts([head({ executionId: "young", waitingSince: ago(11 * MIN) }), head({ executionId: "old", waitingSince: ago(25 * MIN), flowName: "sync" })], orgs, now);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: "queue_age:q1", kind: "queue_age", orgName: "Acme", execution: { id: "old" }, forMs: 25 * MIN, thresholdMs: 10 * MIN, thresholdSource: "platform" });
    expect(alerts[0]!.message).toBe('Queue "default": its oldest startable execution of flow "sync" has waited 25 min (alert after 10 min).');
  });

  it("does not fire at or under the threshold, nor when the rule is off", () => {
    expect(queueAgeAlerts([head({ waitingSince: ago(10 * MIN) })], orgs, now)).toEqual([]);
    expect(queueAgeAlerts([head({ orgId: "off", waitingSince: ago(1_000 * MIN) })], orgs, now)).toEqual([]);
  });

  it("uses the org's own threshold over the platform's", () => {
    const [alert] = queueAgeAlerts([head({ orgId: "o2", waitingSince: ago(3 * MIN) })], orgs, now);
    expect(alert).toMatchObject({ thresholdMs: 2 * MIN, thresholdSource: "org" });
  });
});

describe("stuck runs", () => {
  it("fires for a run longer than the threshold, naming its flow and worker", () => {
    const [alert, ...rest] = stuckRunAlerts([run({ runningSince: ago(72 * MIN) }), run({ executionId: "short", runningSince: ago(59 * MIN) })], orgs, now);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ kind: "stuck_run", worker: { id: "w1", name: "box-1" }, forMs: 72 * MIN, thresholdMs: 60 * MIN });
    expect(alert!.message).toBe('Execution 0123abcd of flow "etl" has been running for 1 h 12 min on worker "box-1" (alert after 1 h).');
  });

  it("falls back to the platform when the org set only the other threshold", () => {
    expect(stuckRunAlerts([run({ orgId: "o2", runningSince: ago(61 * MIN) })], orgs, now)[0]).toMatchObject({ thresholdSource: "platform" });
  });
});

describe("ranking and words", () => {
  it("lists the most overdue relative to its threshold first", () => {
    const alerts = [...queueAgeAlerts([head({ waitingSince: ago(15 * MIN) })], orgs, now), ...stuckRunAlerts([run({ runningSince: ago(180 * MIN) })], orgs, now)];
    expect(rankAlerts(alerts).map((a) => a.kind)).toEqual(["stuck_run", "queue_age"]);
  });

  it("says durations in whole units", () => {
    expect([45_000, 25 * MIN, 60 * MIN, 72 * MIN, 48 * 60 * MIN, 51 * 60 * MIN].map(durationInWords)).toEqual(["45 s", "25 min", "1 h", "1 h 12 min", "2 d", "2 d 3 h"]);
  });
});
