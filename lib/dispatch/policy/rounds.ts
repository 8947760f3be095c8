import { roomUnder } from "./caps";
import { loadRatio, pickFair, type Lane, type Pick } from "./fair-order";
import { countOf, scopeKey, type Counts } from "./scopes";

// Fair picks over lanes whose heads are loaded lazily (docs/dispatch.md, "Rounds"): pure, the
// loading is the caller's `load`. Its result is exactly pickFair's over every lane's heads
// (fair-order.property.test.ts checks it).

/** A lane with queued work, for the rounds: its caps and placement, its org's weight, how many wait in it. */
export interface RoundLane {
  lane: Lane;
  weight: number;
  queued: number;
}

/**
 * Loading the next executions of every lane would cost O(lanes × batch) rows per claim, so
 * heads are loaded only for the orgs that can win this batch: a quick simulation hands the
 * slots out by load ratio using each org's room as an upper bound, and every org at or
 * below the resulting ratio level is loaded, with as many heads per lane as it could win
 * (a lane whose loaded heads all went is then loaded in full and the picks rerun).
 * A pick stands only if its ratio is strictly below every org left unloaded (then the full
 * fair order would have made it too); otherwise the next orgs are loaded and it reruns.
 */
export async function pickInRounds(
  lanes: readonly RoundLane[],
  counts: Counts,
  limit: number,
  load: (lanes: { lane: Lane; count: number }[]) => Promise<void>,
): Promise<Pick[]> {
  const weights = new Map(lanes.map(({ lane, weight }) => [lane.placement.orgId, weight]));
  // Counts do not change while picking: each org's in-flight is read once.
  const inFlight = new Map([...weights.keys()].map((orgId) => [orgId, countOf(counts, scopeKey.org(orgId))]));
  const ratioOf = (orgId: string, extra = 0) => loadRatio(inFlight.get(orgId)! + extra, weights.get(orgId) ?? 1);
  const open = new Map<string, { lane: Lane; want: number }[]>();
  for (const { queued, lane } of lanes) {
    // Rate limits left out: they do not hold back a resumed head, and this is an upper bound.
    const want = Math.min(limit, queued, roomUnder(lane.caps, counts, true));
    if (want <= 0) continue;
    const orgLanes = open.get(lane.placement.orgId);
    if (orgLanes) orgLanes.push({ lane, want });
    else open.set(lane.placement.orgId, [{ lane, want }]);
  }
  const baseRatio = new Map([...open.keys()].map((orgId) => [orgId, ratioOf(orgId)]));
  const waiting = [...open.keys()].sort((a, b) => baseRatio.get(a)! - baseRatio.get(b)!);
  const loaded: { lane: Lane; want: number; count: number }[] = [];
  for (;;) {
    const batch = waterLevelOrgs(waiting, open, ratioOf, (orgId) => weights.get(orgId) ?? 1, limit);
    waiting.splice(0, batch.length);
    const wanted = batch.flatMap(({ orgId, slots }) => open.get(orgId)!.map(({ lane, want }) => ({ lane, want, count: Math.min(want, slots) })));
    await load(wanted);
    loaded.push(...wanted);
    let picks: Pick[];
    for (;;) {
      picks = pickFair(loaded.map((l) => l.lane), weights, counts, limit);
      const short = shortLanes(loaded, picks, limit, ratioOf);
      if (short.length === 0) break;
      for (const l of short) l.count = l.want;
      await load(short);
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
function shortLanes(
  loaded: readonly { lane: Lane; want: number; count: number }[],
  picks: readonly Pick[],
  limit: number,
  ratioOf: (orgId: string, extra?: number) => number,
) {
  const used = new Map<number, number>();
  const taken = new Map<string, number>();
  /** Per lane: the index of its last pick, and its org's ratio right after it. */
  const last = new Map<number, { index: number; ratioAfter: number }>();
  /** The ratio each pick was made at (its org's, before the pick). */
  const madeAt: number[] = [];
  picks.forEach((p, index) => {
    const before = taken.get(p.orgId) ?? 0;
    madeAt.push(ratioOf(p.orgId, before));
    taken.set(p.orgId, before + 1);
    used.set(p.laneId, (used.get(p.laneId) ?? 0) + 1);
    last.set(p.laneId, { index, ratioAfter: ratioOf(p.orgId, before + 1) });
  });
  return loaded.filter((l) => {
    if (l.count >= l.want || (used.get(l.lane.laneId) ?? 0) < l.lane.heads.length) return false;
    if (picks.length < limit) return true;
    const end = last.get(l.lane.laneId);
    return end !== undefined && madeAt.some((ratio, index) => index > end.index && ratio >= end.ratioAfter);
  });
}

/**
 * The orgs (a prefix of `waiting`, in ratio order) that could receive one of `limit` slots,
 * each with the most slots it could get: slots go one at a time to the lowest ratio, and
 * every org tied at the final level is included, since ties are decided by age.
 */
export function waterLevelOrgs(
  waiting: readonly string[],
  open: Map<string, { want: number }[]>,
  ratioOf: (orgId: string, extra?: number) => number,
  weightOf: (orgId: string) => number,
  limit: number,
): { orgId: string; slots: number }[] {
  const capacities = new Map([...open].map(([orgId, lanes]) => [orgId, Math.min(limit, lanes.reduce((sum, l) => sum + l.want, 0))]));
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

