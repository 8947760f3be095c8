import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capsFor, type CapConfig } from "./caps";
import { fairRanks, loadRatio, pickFair, type Head, type Lane } from "./fair-order";
import { addTo, scopeKey, type Counts, type Placement } from "./scopes";

const NO_CAPS: CapConfig = {
  globalCapacity: 0, orgMaxConcurrency: 0, settings: { jobs: 0, workflows: 0, access_requests: 0, max_paused_slots: 0 },
  projectLimit: 0, poolLimit: null, flowLimit: null, queueConcurrency: 0, parentConcurrency: null, grandparentConcurrency: null,
};

interface LaneOptions {
  caps?: Partial<CapConfig>;
  queuePriority?: number;
  project?: string;
  pool?: string;
  flow?: string;
  queue?: string;
  heads?: Partial<Head>[];
}

let nextLane = 1;
let nextSeq = 1;
/** A lane of `n` plain queued jobs of `orgId` (or the given heads), oldest first. */
function lane(orgId: string, n: number, o: LaneOptions = {}): Lane {
  const placement: Placement = {
    orgId, projectId: o.project ?? `${orgId}-p`, poolId: o.pool ?? null, flowId: o.flow ?? null, queueId: o.queue ?? `${orgId}-q`,
    kind: "job", depth: 0, parentId: null, rootId: null,
  };
  const heads = o.heads ?? Array.from({ length: n }, () => ({}));
  return {
    laneId: nextLane++,
    placement,
    queuePriority: o.queuePriority ?? 0,
    caps: capsFor(placement, { ...NO_CAPS, ...o.caps }),
    heads: heads.map((h) => ({ id: `e${nextSeq}`, seq: nextSeq++, priority: 0, resumeFirst: false, ...h })),
  };
}
const inFlight = (entries: Record<string, number>): Counts => new Map(Object.entries(entries).map(([org, n]) => [scopeKey.org(org), n]));
const weightsOf = (entries: Record<string, number>) => new Map(Object.entries(entries));
const orgsOf = (picks: { orgId: string }[]) => picks.map((p) => p.orgId);

describe("the README's worked example (Acme 2/1, Beta 0/1, Gamma 5/5)", () => {
  const counts = inFlight({ acme: 2, beta: 0, gamma: 5 });
  const weights = weightsOf({ acme: 1, beta: 1, gamma: 5 });

  it("fairRanks: ratios 2.0 / 0.0 / 1.0 rank Acme 3rd, Beta 1st, Gamma 2nd", () => {
    const ranks = fairRanks([
      { inFlight: 2, weight: 1, oldestQueuedSeq: 1 },
      { inFlight: 0, weight: 1, oldestQueuedSeq: 2 },
      { inFlight: 5, weight: 5, oldestQueuedSeq: 3 },
    ]);
    expect(ranks).toEqual([3, 1, 2]);
  });

  it("pickFair: Beta gets the next slot", () => {
    const picks = pickFair([lane("acme", 3), lane("gamma", 3), lane("beta", 3)], weights, counts, 1);
    expect(orgsOf(picks)).toEqual(["beta"]);
  });

  it("pickFair: with one queued execution each, slots go Beta, Gamma, Acme", () => {
    const picks = pickFair([lane("acme", 1), lane("gamma", 1), lane("beta", 1)], weights, counts, 3);
    expect(orgsOf(picks)).toEqual(["beta", "gamma", "acme"]);
  });

  it("loadRatio gives the table's ratios; a weight below 1 counts as 1", () => {
    expect([loadRatio(2, 1), loadRatio(0, 1), loadRatio(5, 5), loadRatio(3, 0)]).toEqual([2, 0, 1, 3]);
  });
});

describe("fairRanks", () => {
  it("orgs with nothing queued get no rank; ranks stay contiguous", () => {
    const ranks = fairRanks([
      { inFlight: 0, weight: 2, oldestQueuedSeq: null },
      { inFlight: 1, weight: 1, oldestQueuedSeq: 9 },
      { inFlight: 4, weight: 1, oldestQueuedSeq: 2 },
    ]);
    expect(ranks).toEqual([null, 1, 2]);
  });

  it("equal ratios rank the org with the older queued execution first", () => {
    const ranks = fairRanks([
      { inFlight: 2, weight: 2, oldestQueuedSeq: 30 },
      { inFlight: 1, weight: 1, oldestQueuedSeq: 4 },
    ]);
    expect(ranks).toEqual([2, 1]);
  });

  it("agrees with pickFair: the org ranked 1st is the one that gets the next slot", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ inFlight: fc.nat(20), weight: fc.integer({ min: 1, max: 10 }), queued: fc.boolean() }), { minLength: 1, maxLength: 8 }), (orgs) => {
        const seqs = orgs.map((o, i) => (o.queued ? i + 1 : null));
        const ranks = fairRanks(orgs.map((o, i) => ({ inFlight: o.inFlight, weight: o.weight, oldestQueuedSeq: seqs[i]! })));
        const first = ranks.indexOf(1);
        const lanes = orgs.flatMap((o, i) => (o.queued ? [lane(`org${i}`, 1)] : []));
        const picks = pickFair(lanes, weightsOf(Object.fromEntries(orgs.map((o, i) => [`org${i}`, o.weight]))), inFlight(Object.fromEntries(orgs.map((o, i) => [`org${i}`, o.inFlight]))), 1);
        expect(picks.map((p) => p.orgId)).toEqual(first < 0 ? [] : [`org${first}`]);
      }),
    );
  });
});

describe("fair order between orgs", () => {
  it("an org with nothing in flight gets the next slot however large another org's backlog", () => {
    expect(orgsOf(pickFair([lane("big", 500), lane("small", 1)], weightsOf({ big: 1, small: 1 }), inFlight({ big: 3 }), 1))).toEqual(["small"]);
    expect(orgsOf(pickFair([lane("heavy", 500), lane("small", 1)], weightsOf({ heavy: 1000, small: 1 }), inFlight({ heavy: 1 }), 1))).toEqual(["small"]);
  });

  it.each<[string, Partial<CapConfig>]>([
    ["max concurrency", { orgMaxConcurrency: 2 }],
    ["jobs setting", { settings: { jobs: 2, workflows: 0, access_requests: 0, max_paused_slots: 0 } }],
  ])("an org blocked by its own %s never blocks other orgs", (_, caps) => {
    const capped = lane("capped", 10, { caps });
    const other = lane("other", 10);
    const counts = inFlight({ capped: 2, other: 5 });
    addTo(counts, [scopeKey.jobs("capped")], 2);
    const picks = pickFair([capped, other], weightsOf({ capped: 100, other: 1 }), counts, 4);
    expect(orgsOf(picks)).toEqual(["other", "other", "other", "other"]);
  });

  it.each<[string, LaneOptions, string]>([
    ["project", { project: "full", caps: { projectLimit: 1 } }, scopeKey.project("full")],
    ["pool", { pool: "pl", caps: { poolLimit: 1 } }, scopeKey.pool("pl")],
    ["flow", { flow: "f", caps: { flowLimit: 1 } }, scopeKey.flow("f")],
    ["queue", { queue: "slow", caps: { queueConcurrency: 1 } }, scopeKey.queue("slow")],
  ])("a lane blocked by a full %s cap never blocks its org's other lanes or other orgs", (_, options, scope) => {
    const blocked = lane("o", 10, { ...options, queuePriority: 9 });
    const sibling = lane("o", 2, { project: "free" });
    const stranger = lane("x", 2);
    const counts = inFlight({ o: 1 });
    addTo(counts, [scope]);
    const picks = pickFair([blocked, sibling, stranger], weightsOf({ o: 5, x: 1 }), counts, 10);
    expect(picks.map((p) => p.laneId).sort()).toEqual([sibling.laneId, sibling.laneId, stranger.laneId, stranger.laneId].sort());
  });

  it("a cap that fills during the batch stops its lane there; the rest of the batch goes elsewhere", () => {
    const limited = lane("o", 10, { queue: "small", caps: { queueConcurrency: 2 }, queuePriority: 9 });
    const spare = lane("o", 10);
    const picks = pickFair([limited, spare], new Map(), new Map(), 5);
    expect(picks.map((p) => p.laneId)).toEqual([limited.laneId, limited.laneId, spare.laneId, spare.laneId, spare.laneId]);
  });

  it("the global cap limits the whole batch; a full global cap dispatches nothing", () => {
    const lanes = [lane("a", 5, { caps: { globalCapacity: 4 } }), lane("b", 5, { caps: { globalCapacity: 4 } })];
    expect(pickFair(lanes, new Map(), new Map([["global", 2]]), 10)).toHaveLength(2);
    expect(pickFair(lanes, new Map(), new Map([["global", 4]]), 10)).toEqual([]);
  });

  it("equal ratios: the org whose candidate is oldest goes first, at zero and at equal non-zero ratios", () => {
    expect(orgsOf(pickFair([lane("young", 0, { heads: [{ seq: 50 }] }), lane("old", 0, { heads: [{ seq: 7 }] })], new Map(), new Map(), 1))).toEqual(["old"]);
    const both = [lane("w2", 0, { heads: [{ seq: 90 }] }), lane("w1", 0, { heads: [{ seq: 80 }] })];
    expect(orgsOf(pickFair(both, weightsOf({ w2: 2, w1: 1 }), inFlight({ w2: 2, w1: 1 }), 1))).toEqual(["w1"]);
    const swapped = [lane("w2", 0, { heads: [{ seq: 70 }] }), lane("w1", 0, { heads: [{ seq: 80 }] })];
    expect(orgsOf(pickFair(swapped, weightsOf({ w2: 2, w1: 1 }), inFlight({ w2: 2, w1: 1 }), 1))).toEqual(["w2"]);
  });

  it("an org missing from the weights map counts as weight 1", () => {
    const picks = pickFair([lane("unknown", 1, { heads: [{ seq: 0 }] }), lane("known", 1)], weightsOf({ known: 3 }), inFlight({ known: 2, unknown: 1 }), 1);
    expect(orgsOf(picks)).toEqual(["known"]);
  });

  it("a batch from empty shares slots in proportion to weight", () => {
    const picks = pickFair([lane("w1", 100), lane("w3", 100)], weightsOf({ w1: 1, w3: 3 }), new Map(), 40);
    expect(picks.filter((p) => p.orgId === "w3")).toHaveLength(30);
    expect(picks.filter((p) => p.orgId === "w1")).toHaveLength(10);
  });
});

describe("order within an org", () => {
  it.each<[string, LaneOptions, LaneOptions]>([
    ["resumed beats a higher queue priority", { heads: [{ resumeFirst: true, seq: 900 }] }, { queuePriority: 9, heads: [{ seq: 1 }] }],
    ["resumed beats a higher execution priority", { heads: [{ resumeFirst: true, seq: 900 }] }, { heads: [{ priority: 9, seq: 1 }] }],
    ["queue priority beats execution priority", { queuePriority: 1, heads: [{ seq: 900 }] }, { heads: [{ priority: 9, seq: 1 }] }],
    ["execution priority beats age", { heads: [{ priority: 1, seq: 900 }] }, { heads: [{ seq: 1 }] }],
    ["otherwise the oldest goes first", { heads: [{ seq: 1 }] }, { heads: [{ seq: 900 }] }],
  ])("%s", (_, first, second) => {
    const a = lane("o", 0, { ...first, project: "p1" });
    const b = lane("o", 0, { ...second, project: "p2" });
    for (const lanes of [[a, b], [b, a]]) {
      expect(pickFair(lanes, new Map(), new Map(), 2).map((p) => p.laneId)).toEqual([a.laneId, b.laneId]);
    }
  });

  it("all four rules together, and a lane's executions are taken in its own order", () => {
    const low = lane("o", 0, { heads: [{ priority: 0 }, { priority: 0 }] });
    const urgentQueue = lane("o", 0, { queuePriority: 10, heads: [{ priority: 0 }] });
    const highPriority = lane("o", 0, { heads: [{ priority: 5 }] });
    const resumed = lane("o", 0, { heads: [{ resumeFirst: true }] });
    const picks = pickFair([low, urgentQueue, highPriority, resumed], new Map(), new Map(), 5);
    expect(picks.map((p) => p.executionId)).toEqual([resumed.heads[0]!.id, urgentQueue.heads[0]!.id, highPriority.heads[0]!.id, low.heads[0]!.id, low.heads[1]!.id]);
  });
});

describe("pickFair's bounds", () => {
  it("never more than slots, never more than the heads available, zero slots picks nothing", () => {
    const lanes = [lane("a", 2), lane("b", 1)];
    expect(pickFair(lanes, new Map(), new Map(), 2)).toHaveLength(2);
    expect(pickFair(lanes, new Map(), new Map(), 10)).toHaveLength(3);
    expect(pickFair(lanes, new Map(), new Map(), 0)).toEqual([]);
    expect(pickFair([], new Map(), new Map(), 5)).toEqual([]);
  });

  it("does not modify the counts it is given", () => {
    const counts = inFlight({ a: 1 });
    pickFair([lane("a", 3, { caps: { globalCapacity: 10 } })], new Map(), counts, 3);
    expect([...counts]).toEqual([["org:a", 1]]);
  });
});
