import { roomUnder } from "./caps";
import { loadRatio, pickFairSeeing, rankOf, type Frontier, type Lane, type Pick } from "./fair-order";
import { countOf, scopeKey, type Counts } from "./scopes";

// Fair picks over lanes that are looked at lazily (docs/dispatch.md, "Rounds" and "Many
// lanes"): pure, the loading is the caller's `load`. Its result is exactly pickFair's over
// every lane's heads (fair-order.property.test.ts checks it).

/** A lane with queued work, for the rounds: its caps and placement, and how many wait in it. */
export interface RoundLane {
  lane: Lane;
  queued: number;
}

/** An org with queued work, for the rounds. */
export interface RoundOrg {
  orgId: string;
  weight: number;
  /** At most this many of the claim's slots could go to it (an upper bound is enough). */
  capacity: number;
  /**
   * Its lanes in the order of their first heads (lane-index.ts), each with at least its first
   * head loaded. Walked only as far as needed.
   */
  lanes: Iterator<RoundLane>;
}

interface Loaded {
  lane: Lane;
  /** The most this lane can give (its queued, bounded by its room and the claim). */
  want: number;
  /** Heads loaded (or asked for). */
  count: number;
}

interface Revealed {
  lanes: Loaded[];
  /** Its next lane with room that is not looked at yet (null: there is none). */
  frontier: Lane | null;
  iterator: Iterator<RoundLane>;
}

/**
 * Loading the next executions of every lane would cost O(lanes × batch) rows per claim, and
 * looking at every lane O(lanes), so orgs are looked at only if they can win this batch and,
 * within each, only as many of its lanes as it can use: a quick simulation hands the slots out
 * by load ratio, using each org's capacity as an upper bound, and the orgs at or below the
 * resulting ratio level are loaded, each with its first lanes (in the order of their first
 * heads) and as many heads per lane as it could win. The picks are then checked:
 *  - a pick stands only if its ratio is strictly below every org not loaded;
 *  - a lane whose loaded heads all went may hold the next pick (see shortLanes);
 *  - an org whose first lanes may not be all it needed gets more of them (pickFairSeeing
 *    says which).
 * Otherwise more is loaded and the picks rerun.
 */
export async function pickInRounds(orgs: readonly RoundOrg[], counts: Counts, limit: number, load: (lanes: { lane: Lane; count: number }[]) => Promise<void>): Promise<Pick[]> {
  const weights = new Map(orgs.map((o) => [o.orgId, o.weight]));
  // Counts do not change while picking: each org's in-flight is read once.
  const inFlight = new Map(orgs.map((o) => [o.orgId, countOf(counts, scopeKey.org(o.orgId))]));
  const ratioOf = (orgId: string, extra = 0) => loadRatio(inFlight.get(orgId)! + extra, weights.get(orgId) ?? 1);
  const capacities = new Map(orgs.map((o) => [o.orgId, Math.min(limit, o.capacity)]));
  const byId = new Map(orgs.map((o) => [o.orgId, o]));
  const waiting = orgs.filter((o) => capacities.get(o.orgId)! > 0).map((o) => o.orgId).sort((a, b) => ratioOf(a) - ratioOf(b));
  const revealed = new Map<string, Revealed>();
  const loaded: Loaded[] = [];
  const wants = new Map<number, number>();

  /**
   * Looks at the org's next lanes until they can give `slots` (keyed lanes count once: their
   * keys take turns). Its next lane is its frontier: the picks say whether it mattered.
   */
  const reveal = (orgId: string, slots: number): Loaded[] => {
    let org = revealed.get(orgId);
    if (!org) revealed.set(orgId, (org = { lanes: [], frontier: null, iterator: byId.get(orgId)!.lanes }));
    const fresh: Loaded[] = [];
    let supply = 0;
    const next = (): Lane | null => {
      for (let step = org.iterator.next(); !step.done; step = org.iterator.next()) {
        const { lane, queued } = step.value;
        const want = Math.min(limit, queued, roomUnder(lane.caps, counts, true));
        // Rate limits left out of `want`: they do not hold back a resumed head, and it is an upper bound.
        if (want > 0) {
          wants.set(lane.laneId, want);
          return lane;
        }
      }
      return null;
    };
    let lane = org.frontier ?? next();
    while (lane && supply < slots) {
      const want = wants.get(lane.laneId)!;
      const entry = { lane, want, count: Math.min(want, slots) };
      org.lanes.push(entry);
      fresh.push(entry);
      supply += lane.placement.keys?.length ? 1 : want;
      lane = next();
    }
    org.frontier = lane;
    return fresh;
  };

  const frontierOf = (orgId: string): Frontier | null => {
    const lane = revealed.get(orgId)?.frontier;
    const first = lane?.heads[0];
    return lane && first ? { lane, rank: rankOf(lane, first) } : null;
  };

  for (;;) {
    const batch = waterLevelOrgs(waiting, capacities, ratioOf, (orgId) => weights.get(orgId) ?? 1, limit);
    waiting.splice(0, batch.length);
    const fresh = batch.flatMap(({ orgId, slots }) => reveal(orgId, slots));
    await load(fresh);
    loaded.push(...fresh);
    let picks: Pick[];
    for (;;) {
      const seen = pickFairSeeing(loaded.map((l) => l.lane), weights, counts, limit, frontierOf);
      picks = seen.picks;
      const short = shortLanes(loaded, picks, limit, ratioOf);
      const more = seen.needMore;
      if (short.length === 0 && more.length === 0) break;
      for (const l of short) l.count = l.want;
      const grown = more.flatMap((orgId) => reveal(orgId, Math.max(limit, revealed.get(orgId)!.lanes.length)));
      await load([...short, ...grown]);
      loaded.push(...grown);
    }
    const frontier = waiting.length > 0 ? ratioOf(waiting[0]!) : Number.POSITIVE_INFINITY;
    const taken = new Map<string, number>();
    const firstInvalid = picks.findIndex((p) => {
      const before = taken.get(p.orgId) ?? 0;
      taken.set(p.orgId, before + 1);
      return ratioOf(p.orgId, before) >= frontier;
    });
    if (firstInvalid === -1 && (picks.length === limit || waiting.length === 0)) return picks;
    if (waiting.length === 0) return picks.slice(0, firstInvalid);
  }
}

/** The ratio each pick was made at (its org's, before the pick), and per lane its last pick and its org's ratio after it. */
function pickRatios(picks: readonly Pick[], ratioOf: (orgId: string, extra?: number) => number) {
  const taken = new Map<string, number>();
  const madeAt: number[] = [];
  const lastOfLane = new Map<number, { index: number; ratioAfter: number }>();
  picks.forEach((p, index) => {
    const before = taken.get(p.orgId) ?? 0;
    madeAt.push(ratioOf(p.orgId, before));
    taken.set(p.orgId, before + 1);
    lastOfLane.set(p.laneId, { index, ratioAfter: ratioOf(p.orgId, before + 1) });
  });
  /** Some pick after `index` was made at a ratio no lower than `ratio`: that slot might have gone elsewhere. */
  const laterAtOrAbove = (index: number, ratio: number) => madeAt.some((r, i) => i > index && r >= ratio);
  return { lastOfLane, laterAtOrAbove };
}

/**
 * Loaded lanes whose loaded heads all went although more wait in them: their next head may
 * belong in the picks. The simulation bounds each lane by its own room, so an org whose lanes
 * share a cap (org, flow, pool, project, ...) can take fewer slots than it was counted for, and
 * the slots it leaves go to other orgs beyond the water level, past the heads loaded for them.
 * Such a lane matters when slots were left over (it could have filled them), or when a later
 * pick — of any org, its own included — was made at a load ratio no lower than its org's after
 * the lane ran out: that slot might have been its org's (the fair-order property test found
 * both). Otherwise every later pick ranked strictly before the lane's next head, which therefore
 * could not have displaced any pick made: no reload, the usual case.
 */
function shortLanes(loaded: readonly Loaded[], picks: readonly Pick[], limit: number, ratioOf: (orgId: string, extra?: number) => number): Loaded[] {
  const used = new Map<number, number>();
  for (const p of picks) used.set(p.laneId, (used.get(p.laneId) ?? 0) + 1);
  const { lastOfLane, laterAtOrAbove } = pickRatios(picks, ratioOf);
  return loaded.filter((l) => {
    if (l.count >= l.want || (used.get(l.lane.laneId) ?? 0) < l.lane.heads.length) return false;
    if (picks.length < limit) return true;
    const end = lastOfLane.get(l.lane.laneId);
    return end !== undefined && laterAtOrAbove(end.index, end.ratioAfter);
  });
}

/**
 * The orgs (a prefix of `waiting`, in ratio order) that could receive one of `limit` slots,
 * each with the most slots it could get: slots go one at a time to the lowest ratio, and
 * every org tied at the final level is included, since ties are decided by age.
 */
export function waterLevelOrgs(
  waiting: readonly string[],
  capacities: ReadonlyMap<string, number>,
  ratioOf: (orgId: string, extra?: number) => number,
  weightOf: (orgId: string) => number,
  limit: number,
): { orgId: string; slots: number }[] {
  const capacity = (orgId: string) => capacities.get(orgId)!;
  const given = new Map<string, number>();
  let level = Number.NEGATIVE_INFINITY;
  let considered = 0;
  for (let slot = 0; slot < limit; slot++) {
    // Candidates: orgs already in play with room left, plus the next waiting org.
    while (considered < waiting.length && (given.size === 0 || ratioOf(waiting[considered]!) <= level)) {
      given.set(waiting[considered]!, 0);
      considered++;
    }
    let best: string | undefined;
    for (const [orgId, n] of given) {
      if (n < capacity(orgId) && (best === undefined || ratioOf(orgId, n) < ratioOf(best, given.get(best)!))) best = orgId;
    }
    const next = waiting[considered];
    if (next !== undefined && (best === undefined || ratioOf(next) < ratioOf(best, given.get(best)!))) {
      given.set(next, 0);
      considered++;
      best = next;
    }
    if (best === undefined) break;
    level = Math.max(level, ratioOf(best, given.get(best)!));
    given.set(best, given.get(best)! + 1);
  }
  while (considered < waiting.length && ratioOf(waiting[considered]!) <= level) {
    given.set(waiting[considered]!, 0);
    considered++;
  }
  // An org may win ties it was not given in the simulation: allow it every slot up to the level.
  return waiting.slice(0, Math.max(considered, 1)).map((orgId) => {
    const upToLevel = Number.isFinite(level) ? Math.floor((level - ratioOf(orgId)) * weightOf(orgId) + 1e-9) + 1 : 1;
    return { orgId, slots: Math.max(1, Math.min(capacity(orgId), Math.max(upToLevel, given.get(orgId) ?? 0))) };
  });
}
