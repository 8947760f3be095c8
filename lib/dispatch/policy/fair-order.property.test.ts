import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capsFor, isRate, roomUnder, type CapConfig } from "./caps";
import { loadRatio, pickFair, type Head, type Lane } from "./fair-order";
import { compareRanks } from "./lane-index";
import { pickInRounds, type RoundOrg } from "./rounds";
import { addTo, countOf, scopeKey, scopesOf, type Counts, type Placement } from "./scopes";
import { seededRandom } from "../../../tests/support/random";

// A small random world: three orgs, their projects (some in the org's pool), flows, queues and
// nested executions, some under an org-wide concurrency key rule, with every kind of cap
// configured per entity (0 = no cap) — rate limits too, each with a random number of starts
// already in its window — so lanes that share a scope always agree on its limit, as they do
// in the database.

const ORGS = ["a", "b", "c"] as const;
const placementArb = fc.record({
  org: fc.constantFrom(...ORGS),
  project: fc.constantFrom("p1", "p2"),
  flow: fc.constantFrom(null, "f1", "f2"),
  queue: fc.constantFrom("q1", "q2"),
  shape: fc.constantFrom("job", "access_request", "child", "grandchild"),
  root: fc.constantFrom("r1", "r2"),
  mid: fc.constantFrom("m1", "m2"),
  key: fc.constantFrom(null, "k1", "k2", "k3"),
});
type PlacementSpec = typeof placementArb extends fc.Arbitrary<infer T> ? T : never;

const entityKeys = ORGS.flatMap((o) => [
  `org:${o}`, `jobs:${o}`, `workflows:${o}`, `access_requests:${o}`, `pool:${o}`, `queue:${o}/q1`, `queue:${o}/q2`,
  ...["p1", "p2"].flatMap((p) => [`project:${o}/${p}`, `flow:${o}/${p}/f1`, `flow:${o}/${p}/f2`]),
  ...["r1", "r2"].flatMap((r) => [`exec:${o}/${r}`, `exec:${o}/${r}/m1`, `exec:${o}/${r}/m2`]),
  ...["k1", "k2", "k3"].map((k) => `key:${o}/${k}`),
]);
/** The rate-limited entities: org, flows, queues, keys. */
const rateKeys = ORGS.flatMap((o) => [
  `org:${o}`, `queue:${o}/q1`, `queue:${o}/q2`, ...["p1", "p2"].flatMap((p) => [`flow:${o}/${p}/f1`, `flow:${o}/${p}/f2`]), ...["k1", "k2", "k3"].map((k) => `key:${o}/${k}`),
]);
const worldArb = fc.record({
  global: fc.integer({ min: 0, max: 12 }),
  limits: fc.dictionary(fc.constantFrom(...entityKeys), fc.integer({ min: 0, max: 4 }), { maxKeys: entityKeys.length }),
  pooledProjects: fc.subarray(ORGS.flatMap((o) => [`${o}/p1`, `${o}/p2`])),
  /** Rate limits: [limit, starts already in the window]. */
  rates: fc.dictionary(fc.constantFrom(...rateKeys), fc.tuple(fc.integer({ min: 1, max: 4 }), fc.nat(5)), { maxKeys: 6 }),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function placementOf(s: PlacementSpec, world: World): Placement {
  const projectId = `${s.org}/${s.project}`;
  const rootId = `${s.org}/${s.root}`;
  const base = {
    orgId: s.org, projectId, queueId: `${s.org}/${s.queue}`,
    poolId: world.pooledProjects.includes(projectId) ? s.org : null,
    flowId: s.flow === null ? null : `${projectId}/${s.flow}`,
  };
  const keyed = { ...base, keys: s.key === null ? [] : [{ ruleId: ruleOf(s.org), value: s.key }] };
  if (s.shape === "child") return { ...keyed, kind: "workflow", depth: 1, parentId: rootId, rootId };
  if (s.shape === "grandchild") return { ...keyed, kind: "workflow", depth: 2, parentId: `${rootId}/${s.mid}`, rootId };
  return { ...keyed, kind: s.shape, depth: 0, parentId: null, rootId: null };
}

const ruleOf = (org: string) => `${org}-rule`;

/** Starts already inside each rate window (the rate scopes' counts). */
function rateCounts(world: World): Counts {
  const counts: Counts = new Map();
  for (const [entity, [, starts]] of Object.entries(world.rates)) {
    const [kind, id] = entity.split(":") as [string, string];
    const scope = kind === "key" ? scopeKey.keyRate(ruleOf(id.split("/")[0]!), id.split("/")[1]!) : scopeKey.rate(kind === "org" ? "org" : kind === "flow" ? "flow" : "queue", id);
    counts.set(scope, starts);
  }
  return counts;
}

function capConfigOf(p: Placement, world: World): CapConfig {
  const limit = (key: string) => world.limits[key] ?? 0;
  const orNull = (key: string) => limit(key) || null;
  return {
    globalCapacity: world.global,
    orgMaxConcurrency: limit(`org:${p.orgId}`),
    settings: { jobs: limit(`jobs:${p.orgId}`), workflows: limit(`workflows:${p.orgId}`), access_requests: limit(`access_requests:${p.orgId}`), max_paused_slots: 0 },
    projectLimit: limit(`project:${p.projectId}`),
    poolLimit: p.poolId ? orNull(`pool:${p.poolId}`) : null,
    flowLimit: p.flowId ? orNull(`flow:${p.flowId}`) : null,
    queueConcurrency: limit(`queue:${p.queueId}`),
    parentConcurrency: p.parentId ? orNull(`exec:${p.parentId}`) : null,
    grandparentConcurrency: p.depth === 2 && p.rootId ? orNull(`exec:${p.rootId}`) : null,
    orgRate: rate(`org:${p.orgId}`),
    flowRate: p.flowId ? rate(`flow:${p.flowId}`) : null,
    queueRate: rate(`queue:${p.queueId}`),
    keyLimits: (p.keys ?? []).map((k) => ({
      ruleId: k.ruleId, rule: "per-key", value: k.value, of: "the organization", limit: orNull(`key:${p.orgId}/${k.value}`), rate: rate(`key:${p.orgId}/${k.value}`),
    })),
  };
  function rate(key: string) {
    const r = world.rates[key];
    return r ? { limit: r[0], periodMs: 1_000 } : null;
  }
}

/** Dispatch order within an org, written out independently of the implementation. */
const goesBefore = (a: { head: Head; lane: Lane }, b: { head: Head; lane: Lane }) =>
  a.head.resumeFirst !== b.head.resumeFirst ? a.head.resumeFirst
  : a.lane.queuePriority !== b.lane.queuePriority ? a.lane.queuePriority > b.lane.queuePriority
  : a.head.priority !== b.head.priority ? a.head.priority > b.head.priority
  : a.head.seq < b.head.seq;

/**
 * An org's next start among its startable candidates (docs/limits.md, "Keys take turns"): the
 * keys of one rule take turns — fewest in flight first, after resumed, queue priority and
 * priority — and the rule's turn competes with the org's other lanes in the usual order.
 */
function orgsNext(candidates: readonly { lane: Lane; head: Head }[], counts: Counts) {
  const load = (c: { lane: Lane }) => countOf(counts, scopeKey.key(c.lane.placement.keys![0]!.ruleId, c.lane.placement.keys![0]!.value));
  const turns = new Map<string, { lane: Lane; head: Head }>();
  const contenders: { lane: Lane; head: Head }[] = [];
  for (const c of candidates) {
    const rule = c.lane.placement.keys?.[0]?.ruleId;
    if (rule === undefined) {
      contenders.push(c);
      continue;
    }
    const turn = turns.get(rule);
    const sameRank = turn && turn.head.resumeFirst === c.head.resumeFirst && turn.lane.queuePriority === c.lane.queuePriority && turn.head.priority === c.head.priority;
    if (!turn || (sameRank ? load(c) < load(turn) || (load(c) === load(turn) && c.head.seq < turn.head.seq) : goesBefore(c, turn))) turns.set(rule, c);
  }
  contenders.push(...turns.values());
  return contenders.reduce((x, y) => (goesBefore(y, x) ? y : x));
}

const laneSpecArb = fc.record({
  placement: placementArb,
  queuePriority: fc.integer({ min: 0, max: 2 }),
  heads: fc.array(fc.record({ age: fc.nat(50), priority: fc.integer({ min: 0, max: 2 }), resumeFirst: fc.boolean() }), { maxLength: 5 }),
});

type LaneSpec = typeof laneSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** The lanes of a generated world, each with its heads in lane order. */
function lanesOf(specs: readonly LaneSpec[], world: World): Lane[] {
  let n = 0;
  return specs.map((s, i) => {
    const placement = placementOf(s.placement, world);
    const heads = s.heads.map((h) => ({ id: `e${++n}`, seq: h.age * 1000 + n, priority: h.priority, resumeFirst: h.resumeFirst }));
    const lane = { laneId: i + 1, placement, queuePriority: s.queuePriority, caps: capsFor(placement, capConfigOf(placement, world)), heads: [] as Head[] };
    lane.heads = heads.sort((x, y) => (goesBefore({ head: x, lane }, { head: y, lane }) ? -1 : 1));
    return lane;
  });
}

describe("pickFair invariants (property)", () => {
  it("respects every cap at every pick, is fair and work-conserving, and leaves its inputs alone", () => {
    fc.assert(
      fc.property(
        worldArb, fc.array(laneSpecArb, { minLength: 1, maxLength: 10 }), fc.array(placementArb, { maxLength: 20 }),
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), fc.nat(15),
        (world, specs, running, [wa, wb, wc], slots) => {
          const lanes = lanesOf(specs, world);
          const counts: Counts = rateCounts(world);
          for (const r of running) addTo(counts, scopesOf(placementOf(r, world)));
          const before = new Map(counts);
          const weights = new Map([["a", wa], ["b", wb], ["c", wc]]);

          const picks = pickFair(lanes, weights, counts, slots);
          const room = (l: Lane, c: Counts) => roomUnder(l.caps, c, next(l)?.resumeFirst);

          expect(counts).toEqual(before);
          expect(new Set(picks.map((p) => p.executionId)).size).toBe(picks.length);
          expect(picks.length).toBeLessThanOrEqual(Math.min(slots, lanes.reduce((sum, l) => sum + l.heads.length, 0)));

          // Replay the picks one by one against the model.
          const now = new Map(before);
          const cursor = new Map(lanes.map((l) => [l.laneId, 0]));
          function next(l: Lane) {
            return l.heads[cursor.get(l.laneId)!];
          }
          const ratio = (org: string) => loadRatio(countOf(now, scopeKey.org(org)), weights.get(org)!);
          for (const pick of picks) {
            const lane = lanes.find((l) => l.laneId === pick.laneId)!;
            const head = next(lane);
            expect(pick).toEqual({ executionId: head?.id, laneId: lane.laneId, orgId: lane.placement.orgId, resumed: head?.resumeFirst });
            // Every cap holds (a resumed execution is not held back by rate limits: it is no start).
            for (const cap of lane.caps) if (!(head!.resumeFirst && isRate(cap))) expect(countOf(now, cap.scope)).toBeLessThan(cap.limit);

            const startable = lanes.filter((l) => next(l) && room(l, now) > 0).map((l) => ({ lane: l, head: next(l)! }));
            expect(orgsNext(startable.filter((c) => c.lane.placement.orgId === pick.orgId), now).head.id).toBe(head!.id);
            for (const other of startable) {
              const otherOrg = other.lane.placement.orgId;
              expect(ratio(pick.orgId)).toBeLessThanOrEqual(ratio(otherOrg));
              if (otherOrg !== pick.orgId && ratio(otherOrg) === ratio(pick.orgId)) {
                expect(head!.seq).toBeLessThan(orgsNext(startable.filter((c) => c.lane.placement.orgId === otherOrg), now).head.seq);
              }
            }
            cursor.set(lane.laneId, cursor.get(lane.laneId)! + 1);
            addTo(now, scopesOf(lane.placement));
            if (!head!.resumeFirst) addTo(now, lane.caps.filter(isRate).map((cap) => cap.scope));
          }

          // Recounted from the picks: every cap of every lane holds, unless it was over before
          // (then the lane started nothing it counts: for a rate, nothing but resumes).
          for (const lane of lanes) {
            for (const cap of lane.caps) {
              const counted = picks.filter((p) => p.laneId === lane.laneId && !(p.resumed && isRate(cap)));
              if (countOf(before, cap.scope) >= cap.limit) expect(counted).toEqual([]);
              else expect(countOf(now, cap.scope)).toBeLessThanOrEqual(cap.limit);
            }
          }
          if (picks.length < slots) for (const lane of lanes) if (next(lane)) expect(room(lane, now)).toBe(0);
        },
      ),
      { seed: 20260101, numRuns: 500 },
    );
  });

  it("an org with nothing in flight and a startable execution gets the first slot, whatever the others' backlog (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ inFlight: fc.integer({ min: 1, max: 50 }), weight: fc.integer({ min: 1, max: 100 }), backlog: fc.integer({ min: 1, max: 2000 }) }), { minLength: 1, maxLength: 4 }),
        fc.nat(5),
        (others, idlePosition) => {
          const job = (orgId: string): Placement => ({ orgId, projectId: `${orgId}-p`, poolId: null, flowId: null, queueId: `${orgId}-q`, kind: "job", depth: 0, parentId: null, rootId: null });
          const lanes: Lane[] = others.map((o, i) => ({
            laneId: i + 1, placement: job(`busy${i}`), queuePriority: 100, caps: [],
            heads: Array.from({ length: o.backlog }, (_, k) => ({ id: `busy${i}-${k}`, seq: k, priority: 100, resumeFirst: true })),
          }));
          const idle: Lane = { laneId: 99, placement: job("idle"), queuePriority: 0, caps: [], heads: [{ id: "idle-1", seq: 1_000_000, priority: 0, resumeFirst: false }] };
          lanes.splice(Math.min(idlePosition, lanes.length), 0, idle);
          const counts = new Map(others.map((o, i) => [scopeKey.org(`busy${i}`), o.inFlight]));
          const weights = new Map([...others.map((o, i) => [`busy${i}`, o.weight] as const), ["idle", 1]]);
          expect(pickFair(lanes, weights, counts, 1)).toEqual([{ executionId: "idle-1", laneId: 99, orgId: "idle", resumed: false }]);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

/**
 * Saturation: every org always has queued work (several lanes each, so sharing is per org and
 * not per lane), all jobs take the same time. Each step one random in-flight execution
 * completes and pickFair fills the freed slot (exactly, or the run throws). Returns each org's
 * time-averaged share of the slots.
 */
function simulate(seed: number, orgs: { orgId: string; weight: number; lanes: number; maxConcurrency?: number }[], capacity: number, steps = 6000): Map<string, number> {
  const random = seededRandom(seed);
  let seq = 0;
  const lanes: Lane[] = orgs.flatMap((o) =>
    Array.from({ length: o.lanes }, (_, i) => {
      const placement: Placement = { orgId: o.orgId, projectId: `${o.orgId}-p${i}`, poolId: null, flowId: null, queueId: `${o.orgId}-q`, kind: "job", depth: 0, parentId: null, rootId: null };
      const caps = capsFor(placement, {
        globalCapacity: capacity, orgMaxConcurrency: o.maxConcurrency ?? 0, settings: { jobs: 0, workflows: 0, access_requests: 0, max_paused_slots: 0 },
        projectLimit: 0, poolLimit: null, flowLimit: null, queueConcurrency: 0, parentConcurrency: null, grandparentConcurrency: null,
      });
      return { laneId: 0, placement, queuePriority: 0, caps, heads: [] as Head[] };
    }),
  );
  lanes.forEach((l, i) => (l.laneId = i + 1));
  const weights = new Map(orgs.map((o) => [o.orgId, o.weight]));
  const counts: Counts = new Map();
  const running: Placement[] = [];
  const fill = (slots: number) => {
    for (const l of lanes) l.heads = Array.from({ length: slots }, () => ({ id: `x${++seq}`, seq, priority: 0, resumeFirst: false }));
    const picks = pickFair(lanes, weights, counts, slots);
    for (const p of picks) {
      const placement = lanes[p.laneId - 1]!.placement;
      running.push(placement);
      addTo(counts, scopesOf(placement));
    }
    if (countOf(counts, scopeKey.global()) !== capacity) throw new Error(`${countOf(counts, scopeKey.global())} in flight, capacity ${capacity}`);
  };

  fill(capacity);
  const slotSteps = new Map(orgs.map((o) => [o.orgId, 0]));
  for (let step = 0; step < steps; step++) {
    const [done] = running.splice(Math.floor(random() * running.length), 1);
    addTo(counts, scopesOf(done!), -1);
    fill(1);
    for (const o of orgs) slotSteps.set(o.orgId, slotSteps.get(o.orgId)! + countOf(counts, scopeKey.org(o.orgId)));
  }
  return new Map([...slotSteps].map(([org, n]) => [org, n / (steps * capacity)]));
}

describe("fairness under saturation (seeded simulation)", () => {
  it.each([1, 42, 2026, 987654321])("weights 1, 2, 5 hold 1/8, 2/8, 5/8 of 40 slots within 2 points (seed %i)", (seed) => {
    const shares = simulate(seed, [{ orgId: "w1", weight: 1, lanes: 3 }, { orgId: "w2", weight: 2, lanes: 2 }, { orgId: "w5", weight: 5, lanes: 1 }], 40);
    expect(Math.abs(shares.get("w1")! - 1 / 8)).toBeLessThan(0.02);
    expect(Math.abs(shares.get("w2")! - 2 / 8)).toBeLessThan(0.02);
    expect(Math.abs(shares.get("w5")! - 5 / 8)).toBeLessThan(0.02);
  });

  it.each([3, 77])("an org held down by its own cap leaves the rest to the others by weight (seed %i)", (seed) => {
    const shares = simulate(seed, [{ orgId: "w1", weight: 1, lanes: 1 }, { orgId: "w2", weight: 2, lanes: 1 }, { orgId: "w5", weight: 5, lanes: 1, maxConcurrency: 10 }], 40);
    expect(Math.abs(shares.get("w5")! - 10 / 40)).toBeLessThan(0.02);
    expect(Math.abs(shares.get("w1")! - 10 / 40)).toBeLessThan(0.02);
    expect(Math.abs(shares.get("w2")! - 20 / 40)).toBeLessThan(0.02);
  });
});

describe("the fair-rounds pre-pass (property)", () => {
  // A claim loads lane heads only for the orgs that can win the batch (rounds.ts): whatever it
  // loads, and in whatever order, it must pick exactly what pickFair picks over every head.
  it("picks exactly what pickFair picks over all heads, loading heads lazily", async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb, fc.array(laneSpecArb, { minLength: 1, maxLength: 12 }), fc.array(placementArb, { maxLength: 20 }),
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), fc.integer({ min: 1, max: 15 }),
        async (world, specs, running, [wa, wb, wc], limit) => {
          const full = lanesOf(specs, world);
          const counts: Counts = rateCounts(world);
          for (const r of running) addTo(counts, scopesOf(placementOf(r, world)));
          const weights = new Map([["a", wa], ["b", wb], ["c", wc]]);
          const expected = pickFair(full, weights, counts, limit);

          // Each org's lanes in the order of their first heads, with only the first loaded; the
          // rounds load more heads, and look at more lanes, as they need.
          const headsOf = new Map(full.map((l) => [l.laneId, l.heads]));
          const rank = (l: Lane) => ({ resumeFirst: l.heads[0]!.resumeFirst, queuePriority: l.queuePriority, priority: l.heads[0]!.priority, seq: l.heads[0]!.seq });
          const looked: number[] = [];
          const orgs: RoundOrg[] = ["a", "b", "c"].map((orgId) => {
            const mine = full.filter((l) => l.placement.orgId === orgId && l.heads.length > 0).sort((x, y) => compareRanks(rank(x), rank(y)) || x.laneId - y.laneId);
            return {
              orgId, weight: weights.get(orgId)!, capacity: mine.reduce((sum, l) => sum + l.heads.length, 0),
              lanes: (function* () {
                for (const l of mine) {
                  looked.push(l.laneId);
                  yield { lane: { ...l, heads: l.heads.slice(0, 1) }, queued: l.heads.length };
                }
              })(),
            };
          });
          let loads = 0;
          const picks = await pickInRounds(orgs, counts, limit, async (wanted) => {
            loads++;
            for (const { lane, count } of wanted) lane.heads = headsOf.get(lane.laneId)!.slice(0, Math.max(1, count));
          });
          expect(picks).toEqual(expected);
          expect(loads).toBeLessThanOrEqual(2 * full.length + 2);
          expect(new Set(looked).size).toBe(looked.length);
        },
      ),
      { seed: 20261202, numRuns: 1000 },
    );
  });
});

describe("the fair-rounds pre-pass over orgs with many lanes (property)", () => {
  // One org's lanes, many of them keyed (a lane per key), some keys already in flight, next to
  // small orgs; claims of a few slots look at only the first lanes of the big org.
  const keyedWorld = fc.record({
    lanes: fc.array(
      fc.record({
        key: fc.option(fc.integer({ min: 1, max: 30 }), { freq: 4, nil: null }),
        heads: fc.array(fc.record({ age: fc.nat(40), priority: fc.integer({ min: 0, max: 1 }), resumeFirst: fc.boolean() }), { minLength: 1, maxLength: 3 }),
        flow: fc.constantFrom(null, "f1"),
      }),
      { minLength: 5, maxLength: 40 },
    ),
    keyLimit: fc.integer({ min: 0, max: 3 }),
    flowLimit: fc.integer({ min: 0, max: 4 }),
    inFlightKeys: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 }),
    others: fc.array(fc.nat(3), { maxLength: 4 }),
    limit: fc.integer({ min: 1, max: 8 }),
  });

  it("picks exactly what pickFair picks, looking at only as many lanes as it needs", async () => {
    let lookedTotal = 0;
    let lanesTotal = 0;
    await fc.assert(
      fc.asyncProperty(keyedWorld, async (w) => {
        let n = 0;
        const keyLimit = (value: string) => ({ ruleId: "big-rule", rule: "r", value, of: "-", limit: w.keyLimit || null, rate: null });
        const lanes: Lane[] = w.lanes.map((spec, i) => {
          const placement: Placement = {
            orgId: "big", projectId: "p", poolId: null, flowId: spec.flow, queueId: "q", kind: "job", depth: 0, parentId: null, rootId: null,
            keys: spec.key === null ? [] : [{ ruleId: "big-rule", value: `k${spec.key}-${i}` }],
          };
          const caps = capsFor(placement, {
            globalCapacity: 0, orgMaxConcurrency: 0, settings: { jobs: 0, workflows: 0, access_requests: 0, max_paused_slots: 0 }, projectLimit: 0, poolLimit: null,
            flowLimit: spec.flow ? w.flowLimit || null : null, queueConcurrency: 0, parentConcurrency: null, grandparentConcurrency: null,
            keyLimits: placement.keys!.map((k) => keyLimit(k.value)),
          });
          const heads = spec.heads.map((h) => ({ id: `e${++n}`, seq: h.age * 1000 + n, priority: h.priority, resumeFirst: h.resumeFirst }));
          const lane = { laneId: i + 1, placement, queuePriority: 0, caps, heads: [] as Head[] };
          lane.heads = heads.sort((x, y) => (goesBefore({ head: x, lane }, { head: y, lane }) ? -1 : 1));
          return lane;
        });
        w.others.forEach((age, i) => {
          const placement: Placement = { orgId: `o${i}`, projectId: `p${i}`, poolId: null, flowId: null, queueId: `q${i}`, kind: "job", depth: 0, parentId: null, rootId: null };
          lanes.push({ laneId: 100 + i, placement, queuePriority: 0, caps: [], heads: [{ id: `x${i}`, seq: age * 1000 + 500, priority: 0, resumeFirst: false }] });
        });
        const counts: Counts = new Map();
        w.inFlightKeys.forEach((k, i) => {
          const lane = lanes.find((l) => l.placement.keys?.[0]?.value.startsWith(`k${k}-`));
          if (lane) addTo(counts, scopesOf(lane.placement));
          else addTo(counts, [scopeKey.org("big"), `x-${i}`]);
        });
        const weights = new Map([["big", 3], ...w.others.map((_, i) => [`o${i}`, 1] as const)]);
        const expected = pickFair(lanes, weights, counts, w.limit);

        const headsOf = new Map(lanes.map((l) => [l.laneId, l.heads]));
        const rank = (l: Lane) => ({ resumeFirst: l.heads[0]!.resumeFirst, queuePriority: l.queuePriority, priority: l.heads[0]!.priority, seq: l.heads[0]!.seq });
        const looked = new Set<number>();
        const orgs: RoundOrg[] = [...weights.keys()].map((orgId) => {
          const mine = lanes.filter((l) => l.placement.orgId === orgId).sort((x, y) => compareRanks(rank(x), rank(y)) || x.laneId - y.laneId);
          return {
            orgId, weight: weights.get(orgId)!, capacity: Number.POSITIVE_INFINITY,
            lanes: (function* () {
              for (const l of mine) {
                looked.add(l.laneId);
                yield { lane: { ...l, heads: l.heads.slice(0, 1) }, queued: l.heads.length };
              }
            })(),
          };
        });
        const picks = await pickInRounds(orgs, counts, w.limit, async (wanted) => {
          for (const { lane, count } of wanted) lane.heads = headsOf.get(lane.laneId)!.slice(0, Math.max(1, count));
        });
        expect(picks).toEqual(expected);
        lookedTotal += looked.size;
        lanesTotal += lanes.length;
      }),
      { seed: 4242, numRuns: 1500 },
    );
    // It did look at fewer lanes than there are (the point of it).
    expect(lookedTotal).toBeLessThan(lanesTotal * 0.8);
  });
});
