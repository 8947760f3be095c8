import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capsFor, type CapConfig } from "./caps";
import { loadRatio, pickFair, rankOrgs, type Head, type Lane } from "./fair-order";
import { addTo, countOf, scopeKey, scopesOf, type Counts, type Placement } from "./scopes";

const NO_CAPS: CapConfig = {
  globalCapacity: 0, orgMaxConcurrency: 0, settings: { jobs: 0, workflows: 0, access_requests: 0, max_paused_slots: 0 },
  projectLimit: 0, poolLimit: null, flowLimit: null, queueConcurrency: 0, parentConcurrency: null, grandparentConcurrency: null,
};

let nextLane = 1;
let nextSeq = 1;
function lane(orgId: string, n: number, options: { caps?: Partial<CapConfig>; queuePriority?: number; project?: string; heads?: Partial<Head>[] } = {}): Lane {
  const placement: Placement = { orgId, projectId: options.project ?? `${orgId}-p`, poolId: null, flowId: null, queueId: `${orgId}-q`, kind: "job", depth: 0, parentId: null, rootId: null };
  const heads = options.heads ?? Array.from({ length: n }, () => ({}));
  return {
    laneId: nextLane++,
    placement,
    queuePriority: options.queuePriority ?? 0,
    caps: capsFor(placement, { ...NO_CAPS, ...options.caps }),
    heads: heads.map((h) => ({ id: `e${nextSeq}`, seq: nextSeq++, priority: 0, resumeFirst: false, ...h })),
  };
}
const inFlight = (entries: [string, number][]): Counts => new Map(entries.map(([org, n]) => [scopeKey.org(org), n]));

describe("the seed's worked example", () => {
  const counts = inFlight([["acme", 2], ["beta", 0], ["gamma", 5]]);
  const weights = new Map([["acme", 1], ["beta", 1], ["gamma", 5]]);

  it("ratios 2.0 / 0.0 / 1.0 rank Beta 1st, Gamma 2nd, Acme 3rd", () => {
    const ranked = rankOrgs([
      { orgId: "acme", inFlight: 2, weight: 1, oldestQueuedSeq: 1 },
      { orgId: "beta", inFlight: 0, weight: 1, oldestQueuedSeq: 2 },
      { orgId: "gamma", inFlight: 5, weight: 5, oldestQueuedSeq: 3 },
    ]);
    expect(ranked.map((o) => [o.orgId, o.ratio, o.rank])).toEqual([["acme", 2, 3], ["beta", 0, 1], ["gamma", 1, 2]]);
  });

  it("Beta gets the next slot", () => {
    const lanes = [lane("acme", 3), lane("beta", 3), lane("gamma", 3)];
    expect(pickFair(lanes, weights, counts, 1).map((p) => p.orgId)).toEqual(["beta"]);
  });

  it("orgs with nothing queued get no rank", () => {
    expect(rankOrgs([{ orgId: "idle", inFlight: 0, weight: 1, oldestQueuedSeq: null }])[0]!.rank).toBeNull();
  });
});

describe("fair order", () => {
  it("an org with nothing in flight goes first however large another org's backlog", () => {
    const picks = pickFair([lane("big", 500), lane("small", 1)], new Map([["big", 1], ["small", 1]]), inFlight([["big", 3]]), 1);
    expect(picks.map((p) => p.orgId)).toEqual(["small"]);
  });

  it("an org blocked by its own cap never blocks others; a blocked lane never blocks its org's other lanes", () => {
    const capped = lane("capped", 10, { caps: { orgMaxConcurrency: 1 } });
    const fullProject = lane("other", 10, { caps: { projectLimit: 1 }, project: "full" });
    const freeProject = lane("other", 2, { project: "free" });
    const counts = inFlight([["capped", 1]]);
    addTo(counts, [scopeKey.project("full")]);
    const picks = pickFair([capped, fullProject, freeProject], new Map([["capped", 100], ["other", 1]]), counts, 5);
    expect(picks.map((p) => p.laneId)).toEqual([freeProject.laneId, freeProject.laneId]);
  });

  it("within an org: resumed first, then queue priority, then execution priority, then oldest", () => {
    const low = lane("o", 0, { heads: [{ priority: 0 }, { priority: 0 }] });
    const urgentQueue = lane("o", 0, { queuePriority: 10, heads: [{ priority: 0 }] });
    const highPriority = lane("o", 0, { heads: [{ priority: 5 }] });
    const resumed = lane("o", 0, { heads: [{ resumeFirst: true }] });
    const picks = pickFair([low, urgentQueue, highPriority, resumed], new Map([["o", 1]]), new Map(), 5);
    expect(picks.map((p) => p.laneId)).toEqual([resumed.laneId, urgentQueue.laneId, highPriority.laneId, low.laneId, low.laneId]);
  });

  it("equal ratios: the org whose candidate is older goes first", () => {
    const younger = lane("young", 0, { heads: [{ seq: 50 }] });
    const older = lane("old", 0, { heads: [{ seq: 7 }] });
    expect(pickFair([younger, older], new Map(), new Map(), 1)[0]!.orgId).toBe("old");
  });

  it("weights share slots in proportion", () => {
    const picks = pickFair([lane("w1", 100), lane("w3", 100)], new Map([["w1", 1], ["w3", 3]]), new Map(), 40);
    expect(picks.filter((p) => p.orgId === "w3")).toHaveLength(30);
    expect(loadRatio(3, 0)).toBe(3); // weight below 1 is treated as 1
  });
});

describe("pickFair invariants (property)", () => {
  const laneArb = fc.record({
    org: fc.constantFrom("a", "b", "c"),
    project: fc.constantFrom("p1", "p2", "p3"),
    n: fc.integer({ min: 0, max: 6 }),
    queuePriority: fc.integer({ min: 0, max: 2 }),
  });
  // Caps are configuration of an org or a project, so every lane of one gets the same.
  const configArb = fc.record({
    global: fc.integer({ min: 0, max: 8 }),
    orgCaps: fc.dictionary(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 5 })),
    projectCaps: fc.dictionary(fc.constantFrom("p1", "p2", "p3"), fc.integer({ min: 0, max: 4 })),
  });

  it("never exceeds a cap that had room, never duplicates, never over-fills, never mutates counts", () => {
    fc.assert(
      fc.property(fc.array(laneArb, { minLength: 1, maxLength: 8 }), configArb, fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 12 }), (specs, config, running, slots) => {
        const lanes = specs.map((s) =>
          lane(s.org, s.n, {
            project: `${s.org}-${s.project}`,
            queuePriority: s.queuePriority,
            caps: { orgMaxConcurrency: config.orgCaps[s.org] ?? 0, projectLimit: config.projectCaps[s.project] ?? 0, globalCapacity: config.global },
          }),
        );
        const counts = inFlight([["a", running[0]!], ["b", running[1]!], ["c", running[2]!]]);
        addTo(counts, [scopeKey.global()], running[0]! + running[1]! + running[2]!);
        const before = new Map(counts);
        const picks = pickFair(lanes, new Map([["a", 1], ["b", 2], ["c", 5]]), counts, slots);

        expect(counts).toEqual(before);
        expect(new Set(picks.map((p) => p.executionId)).size).toBe(picks.length);
        expect(picks.length).toBeLessThanOrEqual(Math.min(slots, lanes.reduce((s, l) => s + l.heads.length, 0)));
        const after = new Map(counts);
        for (const p of picks) addTo(after, scopesOf(lanes.find((l) => l.laneId === p.laneId)!.placement));
        for (const p of picks) {
          for (const cap of lanes.find((l) => l.laneId === p.laneId)!.caps) {
            expect(countOf(after, cap.scope)).toBeLessThanOrEqual(Math.max(cap.limit, countOf(before, cap.scope)));
            if (countOf(before, cap.scope) >= cap.limit) expect(countOf(after, cap.scope)).toBe(countOf(before, cap.scope));
          }
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("fairness under saturation (seeded simulation)", () => {
  it.each([1, 7, 2026])("weights 1/2/5 get 1/8, 2/8, 5/8 of the slots within 2 points (seed %i)", (seed) => {
    const weights = new Map([["w1", 1], ["w2", 2], ["w5", 5]]);
    const capacity = 40;
    const lanes = [...weights.keys()].map((org) => lane(org, 0, { caps: { globalCapacity: capacity } }));
    let s = seed;
    const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const running: string[] = [];
    const counts: Counts = new Map();
    const totals = new Map([...weights.keys()].map((o) => [o, 0]));
    for (let step = 0; step < 4000; step++) {
      for (const l of lanes) l.heads = [{ id: `x${step}-${l.laneId}`, seq: step, priority: 0, resumeFirst: false }];
      const picks = pickFair(lanes, weights, counts, capacity - running.length);
      for (const p of picks) {
        running.push(p.orgId);
        addTo(counts, [scopeKey.global(), scopeKey.org(p.orgId)]);
      }
      if (step > 100) for (const o of running) totals.set(o, totals.get(o)! + 1);
      const [done] = running.splice(Math.floor(random() * running.length), 1);
      addTo(counts, [scopeKey.global(), scopeKey.org(done!)], -1);
    }
    const sum = [...totals.values()].reduce((a, b) => a + b, 0);
    for (const [org, w] of weights) expect(Math.abs(totals.get(org)! / sum - w / 8)).toBeLessThan(0.02);
  });
});
