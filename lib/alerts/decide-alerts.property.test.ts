import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { queueAgeAlerts, stuckRunAlerts, type OrgAlertConfig, type QueueHead, type RunningExecution } from "./decide-alerts";
import { effectiveThresholds, MAX_THRESHOLD_MS, MIN_THRESHOLD_MS } from "./thresholds";

// The rules as properties over random worlds: an alert fires exactly when something waited
// (or ran) past its org's effective threshold; raising a threshold never adds an alert, and
// time passing never removes one; a queue alerts at most once, for its longest wait.

const NOW = Date.parse("2026-12-05T12:00:00Z");
const threshold = fc.option(fc.integer({ min: MIN_THRESHOLD_MS, max: MAX_THRESHOLD_MS }), { nil: null });
const orgArb = fc.record({ platformQueue: threshold, platformStuck: threshold, ownQueue: threshold, ownStuck: threshold });
const ageArb = fc.integer({ min: 0, max: 2 * MAX_THRESHOLD_MS });
const headsArb = fc.array(fc.record({ org: fc.constantFrom("a", "b"), queue: fc.constantFrom("q1", "q2", "q3"), age: ageArb }), { maxLength: 12 });
const runsArb = fc.array(fc.record({ org: fc.constantFrom("a", "b"), age: ageArb }), { maxLength: 12 });

type OrgSpec = { platformQueue: number | null; platformStuck: number | null; ownQueue: number | null; ownStuck: number | null };

/** Two orgs under one platform (a's platform thresholds): a with its own values, b with its own. */
function configs(a: OrgSpec, b: OrgSpec) {
  const of = (o: OrgSpec, name: string): OrgAlertConfig => ({
    name,
    thresholds: effectiveThresholds({ queueAgeMs: o.platformQueue, stuckRunMs: o.platformStuck }, { queueAgeMs: o.ownQueue, stuckRunMs: o.ownStuck }),
  });
  return new Map([["a", of(a, "A")], ["b", of({ ...b, platformQueue: a.platformQueue, platformStuck: a.platformStuck }, "B")]]);
}

const toHeads = (hs: { org: string; queue: string; age: number }[]): QueueHead[] =>
  hs.map((h, i) => ({ orgId: h.org, queueId: `${h.org}/${h.queue}`, queueName: h.queue, executionId: `e${String(i).padStart(3, "0")}`, flowId: null, flowName: null, waitingSince: new Date(NOW - h.age) }));
const toRuns = (rs: { org: string; age: number }[]): RunningExecution[] =>
  rs.map((r, i) => ({ orgId: r.org, queueId: `${r.org}/q`, queueName: "q", executionId: `r${String(i).padStart(3, "0")}`, flowId: null, flowName: null, workerId: null, workerName: null, runningSince: new Date(NOW - r.age) }));

describe("alert rules, as properties", () => {
  it("a queue alerts exactly when its longest wait is past the effective threshold, for that execution", () => {
    fc.assert(fc.property(orgArb, orgArb, headsArb, (a, b, hs) => {
      const orgs = configs(a, b);
      const heads = toHeads(hs);
      const alerts = queueAgeAlerts(heads, orgs, new Date(NOW));
      const queues = new Set(heads.map((h) => h.queueId));
      expect(new Set(alerts.map((x) => x.queue.id)).size).toBe(alerts.length);
      for (const q of queues) {
        const mine = heads.filter((h) => h.queueId === q);
        const longest = Math.max(...mine.map((h) => NOW - h.waitingSince.getTime()));
        const limit = orgs.get(mine[0]!.orgId)!.thresholds.queue_age.ms;
        const alert = alerts.find((x) => x.queue.id === q);
        expect(alert !== undefined).toBe(limit !== null && longest > limit);
        if (alert) expect(alert.forMs).toBe(longest);
      }
    }));
  });

  it("the org's own threshold is what applies whenever it set one", () => {
    fc.assert(fc.property(orgArb, orgArb, runsArb, (a, b, rs) => {
      const orgs = configs(a, b);
      for (const alert of stuckRunAlerts(toRuns(rs), orgs, new Date(NOW))) {
        const own = alert.orgId === "a" ? a.ownStuck : b.ownStuck;
        expect(alert.thresholdMs).toBe(own ?? a.platformStuck);
        expect(alert.thresholdSource).toBe(own !== null ? "org" : "platform");
      }
    }));
  });

  it("raising a threshold never adds an alert; time passing never removes one", () => {
    fc.assert(fc.property(orgArb, orgArb, headsArb, runsArb, fc.integer({ min: 0, max: MAX_THRESHOLD_MS }), (a, b, hs, rs, more) => {
      const ids = (orgs: Map<string, OrgAlertConfig>, at: number) =>
        new Set([...queueAgeAlerts(toHeads(hs), orgs, new Date(at)), ...stuckRunAlerts(toRuns(rs), orgs, new Date(at))].map((x) => x.id));
      const raise = (n: number | null) => (n === null ? null : Math.min(MAX_THRESHOLD_MS, n + more));
      const higher = configs(
        { platformQueue: raise(a.platformQueue), platformStuck: raise(a.platformStuck), ownQueue: raise(a.ownQueue), ownStuck: raise(a.ownStuck) },
        { ...b, ownQueue: raise(b.ownQueue), ownStuck: raise(b.ownStuck) },
      );
      const base = ids(configs(a, b), NOW);
      for (const id of ids(higher, NOW)) expect(base.has(id)).toBe(true);
      const later = ids(configs(a, b), NOW + more);
      for (const id of base) expect(later.has(id)).toBe(true);
    }));
  });
});
