import { isRate, roomUnder, type Cap } from "./caps";
import { compareRanks, sameClass, type LaneRank } from "./lane-index";
import { addTo, countOf, scopeKey, scopesOf, type Counts, type Placement } from "./scopes";

// Weighted fair dispatch, as a pure function. Each free slot goes to the org with the lowest
// load ratio (in-flight / weight) among orgs that have an execution able to start now; ties
// go to the org whose candidate is oldest. Within the org: resumed executions first, then
// higher queue priority, then higher execution priority, then oldest — except that the keys
// of one concurrency key rule take turns (docs/limits.md, "Keys take turns").
//
// Candidates come grouped in lanes (executions sharing every cap), each lane's heads already
// in lane order, so a blocked lane costs one check however long its backlog is.

export interface Head {
  id: string;
  seq: number;
  priority: number;
  resumeFirst: boolean;
}

export interface Lane {
  laneId: number;
  placement: Placement;
  queuePriority: number;
  caps: Cap[];
  /** The lane's next executions in lane order (resumed, priority, age). */
  heads: readonly Head[];
}

export interface OrgWeight {
  orgId: string;
  weight: number;
}

export interface Pick {
  executionId: string;
  laneId: number;
  orgId: string;
  /** A resumed execution that had given its slot back (it goes ahead of new work). */
  resumed: boolean;
}

export function loadRatio(inFlight: number, weight: number): number {
  return inFlight / Math.max(1, weight);
}

/** Compares two heads of the same org in dispatch order (negative: a goes first). */
function withinOrgOrder(a: { head: Head; lane: Lane }, b: { head: Head; lane: Lane }): number {
  return (
    Number(b.head.resumeFirst) - Number(a.head.resumeFirst) ||
    b.lane.queuePriority - a.lane.queuePriority ||
    b.head.priority - a.head.priority ||
    a.head.seq - b.head.seq
  );
}

interface Candidate {
  head: Head;
  lane: Lane;
  /** In flight under its key, for a keyed lane (keys take turns). */
  keyLoad?: number;
}

/** Where a head stands in the within-org order, keys aside (lane-index.ts). */
export const rankOf = (lane: Lane, head: Head): LaneRank => ({ resumeFirst: head.resumeFirst, queuePriority: lane.queuePriority, priority: head.priority, seq: head.seq });

/**
 * Between lanes keyed by the same rule: the key with fewer in flight goes first (then the
 * usual order), so free slots go round-robin across keys and one key's backlog cannot starve
 * the others. The rule's lanes then compete with the org's other lanes as one, through the key
 * whose turn it is, in the usual order.
 */
function withinRuleOrder(a: Candidate, b: Candidate): number {
  return (
    Number(b.head.resumeFirst) - Number(a.head.resumeFirst) ||
    b.lane.queuePriority - a.lane.queuePriority ||
    b.head.priority - a.head.priority ||
    a.keyLoad! - b.keyLoad! ||
    a.head.seq - b.head.seq
  );
}

interface OrgInPlay {
  orgId: string;
  /** Its in-flight scope key. */
  key: string;
  weight: number;
  /** In-flight / weight; changes only when the org is picked. */
  ratio: number;
  lanes: Lane[];
  /** Its best candidate: undefined when not looked for yet, null when none can start. */
  best: Candidate | null | undefined;
  /** Its frontier (see pickFairSeeing) may have held its best candidate from this pick on, at this ratio. */
  unsure?: { from: number; ratio: number; shared: Cap[] };
}

/** An org's first lane not given to the picker, with its first head's rank (rounds.ts). */
export interface Frontier {
  lane: Lane;
  rank: LaneRank;
}

/**
 * Chooses up to `slots` executions. `counts` is the current in-flight count per scope; it is
 * not modified (a copy is updated as slots are handed out).
 *
 * Each org's best candidate is kept between slots and looked for again only when it can no
 * longer start: counts only grow and lanes only move forward, so a candidate that can still
 * start is still its org's best, and an org left without one stays without (the keys whose
 * turns decide within an org are the org's own, so only its own picks change their loads).
 */
export function pickFair(lanes: readonly Lane[], weights: ReadonlyMap<string, number>, counts: Counts, slots: number): Pick[] {
  return pickFairSeeing(lanes, weights, counts, slots, () => null).picks;
}

/**
 * pickFair over some of the lanes, telling which orgs' unseen lanes may change the picks.
 * An org's lanes not given come after its `frontierOf` (in lane order), so they can matter
 * only at a pick where its best candidate among the lanes given was none (while the caps all
 * its lanes share had room), ranked no earlier than the frontier's first head, or a key with
 * executions in flight in the frontier's class (its key may have fewer: keys take turns) —
 * and then only if a later pick was made at a ratio no lower than the org's, or slots were
 * left over. `needMore` names those orgs; for every other org the picks are the same as over
 * all its lanes (fair-order.property.test.ts checks it through rounds.ts).
 */
export function pickFairSeeing(
  lanes: readonly Lane[],
  weights: ReadonlyMap<string, number>,
  counts: Counts,
  slots: number,
  frontierOf: (orgId: string) => Frontier | null,
): { picks: Pick[]; needMore: string[] } {
  const working: Counts = new Map(counts);
  const cursor = new Map<number, number>(lanes.map((l) => [l.laneId, 0]));
  const orgs = new Map<string, OrgInPlay>();
  for (const lane of lanes) {
    const { orgId } = lane.placement;
    const org = orgs.get(orgId);
    if (org) org.lanes.push(lane);
    else {
      const key = scopeKey.org(orgId);
      const weight = weights.get(orgId) ?? 1;
      orgs.set(orgId, { orgId, key, weight, ratio: loadRatio(countOf(working, key), weight), lanes: [lane], best: undefined });
    }
  }

  const room = (lane: Lane, head: Head) => roomUnder(lane.caps, working, head.resumeFirst);
  const bestOf = (orgLanes: readonly Lane[]): Candidate | null => {
    let best: Candidate | null = null;
    const byRule = new Map<string, Candidate>();
    for (const lane of orgLanes) {
      const head = lane.heads[cursor.get(lane.laneId) ?? 0];
      if (!head || room(lane, head) <= 0) continue;
      const key = lane.placement.keys?.[0];
      if (key) {
        const candidate = { head, lane, keyLoad: countOf(working, scopeKey.key(key.ruleId, key.value)) };
        const turn = byRule.get(key.ruleId);
        if (!turn || withinRuleOrder(candidate, turn) < 0) byRule.set(key.ruleId, candidate);
        continue;
      }
      const candidate = { head, lane };
      if (!best || withinOrgOrder(candidate, best) < 0) best = candidate;
    }
    for (const candidate of byRule.values()) if (!best || withinOrgOrder(candidate, best) < 0) best = candidate;
    return best;
  };
  const startScopes = new Map<number, string[]>();
  const rateScopesOf = (lane: Lane) => {
    let scopes = startScopes.get(lane.laneId);
    if (!scopes) startScopes.set(lane.laneId, (scopes = lane.caps.filter(isRate).map((cap) => cap.scope)));
    return scopes;
  };
  const picks: Pick[] = [];
  /** The ratio each pick was made at. */
  const madeAt: number[] = [];
  const watch = (org: OrgInPlay, candidate: Candidate | null) => {
    if (org.unsure) return;
    const frontier = frontierOf(org.orgId);
    if (!frontier) return;
    const shared = frontier.lane.caps.filter((cap) => cap.code === "global" || cap.code === "org");
    const unsure = candidate
      ? compareRanks(rankOf(candidate.lane, candidate.head), frontier.rank) >= 0 || ((candidate.keyLoad ?? 0) > 0 && sameClass(rankOf(candidate.lane, candidate.head), frontier.rank))
      : roomUnder(shared, working) > 0;
    if (unsure) org.unsure = { from: picks.length, ratio: org.ratio, shared };
  };

  while (picks.length < slots) {
    let chosen: { org: OrgInPlay; candidate: Candidate } | undefined;
    for (const org of orgs.values()) {
      let candidate = org.best;
      if (candidate === undefined || (candidate !== null && room(candidate.lane, candidate.head) <= 0)) {
        org.best = candidate = bestOf(org.lanes);
        watch(org, candidate);
      }
      if (!candidate) continue;
      if (!chosen || org.ratio < chosen.org.ratio || (org.ratio === chosen.org.ratio && candidate.head.seq < chosen.candidate.head.seq)) {
        chosen = { org, candidate };
      }
    }
    if (!chosen) break;

    const { org, candidate: { lane, head } } = chosen;
    madeAt.push(org.ratio);
    picks.push({ executionId: head.id, laneId: lane.laneId, orgId: org.orgId, resumed: head.resumeFirst });
    cursor.set(lane.laneId, (cursor.get(lane.laneId) ?? 0) + 1);
    addTo(working, scopesOf(lane.placement));
    // A start is charged to its rate windows; a resume is not a start.
    if (!head.resumeFirst) addTo(working, rateScopesOf(lane));
    org.ratio = loadRatio(countOf(working, org.key), org.weight);
    org.best = undefined;
  }
  const needMore = [...orgs.values()].filter(({ unsure }) => unsure && ((picks.length < slots && roomUnder(unsure.shared, working) > 0) || madeAt.some((r, i) => i >= unsure.from && r >= unsure.ratio)));
  return { picks, needMore: needMore.map((o) => o.orgId) };
}

/**
 * Each org's place in the fair order for the next slot (the dashboard's "rank", index-aligned
 * with `orgs`): lowest ratio first, the older queued execution first between equal ratios;
 * null for an org with nothing that could start. Returns ranks alone, not copies of the orgs:
 * the 1,000-org list ranks every org on every read.
 */
export function fairRanks(orgs: readonly { inFlight: number; weight: number; oldestQueuedSeq: number | null }[]): (number | null)[] {
  const ratios = orgs.map((o) => loadRatio(o.inFlight, o.weight));
  const contenders: number[] = [];
  orgs.forEach((o, i) => {
    if (o.oldestQueuedSeq !== null) contenders.push(i);
  });
  contenders.sort((a, b) => ratios[a]! - ratios[b]! || orgs[a]!.oldestQueuedSeq! - orgs[b]!.oldestQueuedSeq!);
  const ranks: (number | null)[] = orgs.map(() => null);
  contenders.forEach((i, place) => {
    ranks[i] = place + 1;
  });
  return ranks;
}
