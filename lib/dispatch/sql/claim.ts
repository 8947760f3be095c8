import { notFound } from "../../core/errors";
import { rateCharges } from "../policy/caps";
import { addTo, scopesOf } from "../policy/scopes";
import type { Lane, Pick } from "../policy/fair-order";
import { pickInRounds } from "../policy/rounds";
import type { ParallelSettings } from "../policy/parallel-settings";
import { outcomeResults, type Outcome, type OutcomeResult } from "./complete";
import { loadDispatchSnapshot, loadQueuedLanes, loadRateStarts, type DispatchSnapshot } from "./snapshot";
import { loadLaneHeads, type LaneFilter } from "./lanes";
import { HEAD_PREFETCH, type HeadCache } from "./head-cache";
import type { DispatchCache } from "./dispatch-cache";
import type { LaneState } from "./lane-state";
import type { RateLog } from "./rate-log";
import { expireLeases } from "./leases";
import { promoteScheduled } from "./scheduled";
import { wakeDuePauses } from "./pauses";
import { statement, type Tx } from "../../db/transaction";
import { type DispatchTx } from "./transaction";

// Claim: the dispatch decision and its persistence, inside a dispatch transaction (see
// transaction.ts for why one lock). Two round trips in the usual case — one statement
// completes the worker's finished executions and reads the snapshot (the lanes changed since
// the previous claim, the in-flight recount, the rate windows, whether a lease ran out or a
// scheduled execution came due; lane configuration comes from lane-cache.ts, which lanes have
// work from lane-state.ts), and one marks the picks RUNNING and does the lane, history, rate
// and org bookkeeping (resumed executions holding their slots and forced ones are started
// before the fair pick, in statements of their own, only when there are any) — plus, when head-cache.ts lacks them, one for the heads of the lanes
// that can win this batch (see pickInRounds); all prepared once per connection. Throughput
// comes from batching many claims per commit: this machine commits ~2,500 single-row
// transactions per second but ~11,600 rows/s when claiming ten per statement.

export interface ClaimedExecution {
  id: string;
  orgId: string;
  projectId: string;
  flowId: string | null;
  parentId: string | null;
  queue: string;
  kind: string;
  priority: number;
  payload: unknown;
  attempt: number;
  leaseToken: number;
  leaseExpiresAt: Date;
  /** It paused and was resumed (in the slot it kept, or after waiting for one): the worker continues it rather than starting over. */
  resumed: boolean;
}

export interface ClaimInTxOptions extends LaneFilter {
  workerId: string;
  limit: number;
  leaseTtlMs: number;
  envLimits: ParallelSettings;
  /** The pool's caches; the head cache inside a transaction begun on it (see HeadCache.begin). */
  cache: DispatchCache;
  /** The worker's finished executions, completed first in the same statement as the snapshot. */
  complete?: readonly Outcome[];
  /**
   * Called once the statement that marks the picks RUNNING is sent, before its reply is
   * awaited, with the slots this claim freed and did not refill (completions and expiries
   * minus picks): the caller may send statements of its own behind it, and commit.
   */
  onMarkSent?: (freedNotRefilled: number) => void;
}

export interface ClaimInTxResult {
  claimed: ClaimedExecution[];
  /** Slots lease expiry freed. */
  expired: number;
  completed: OutcomeResult[];
  /** Free slots it took: its picks and forced starts (a resumed execution holding its slot kept its own). */
  refilled: number;
  /**
   * When it claimed fewer than asked: the next moment time alone can make more startable (a
   * scheduled execution comes due, a start leaves an exhausted rate window), epoch ms; null if none.
   */
  wakeAtMs: number | null;
}

/**
 * Brings the pool's lane state up to the snapshot: the lanes it says changed, or all of them
 * when the configuration changed since the state was built (a deletion leaves no changed row).
 */
async function refresh(tx: Tx, snapshot: DispatchSnapshot, cache: DispatchCache, limits: ParallelSettings, wasFull: boolean): Promise<void> {
  const { state, lanes, heads } = cache;
  const reconfigured = lanes.sync(snapshot.configVersion, limits);
  heads.sync(snapshot.configVersion, state.size, (laneId) => state.has(laneId));
  const caches = { lanes, heads, limits };
  if (reconfigured && !wasFull) await state.apply(tx, await loadQueuedLanes(tx), snapshot.horizon, true, caches);
  else await state.apply(tx, snapshot.lanes, snapshot.horizon, wasFull, caches);
  lanes.prune(state.size, (laneId) => state.has(laneId));
}

/** Brings the pool's rate log up to the snapshot (all of it again after a configuration change) and counts its windows in. */
async function refreshRates(tx: Tx, snapshot: DispatchSnapshot, rates: RateLog): Promise<void> {
  if (rates.configVersion !== null && rates.configVersion !== snapshot.configVersion) {
    rates.reset();
    rates.add(await loadRateStarts(tx));
  } else rates.add(snapshot.rateStarts);
  rates.configVersion = snapshot.configVersion;
  rates.countInto(snapshot.counts, snapshot.nowMs);
}

/**
 * Completes `complete`, expires run-out leases (their slots count as free for this claim),
 * moves due scheduled executions into their lanes, then claims up to `limit`. The snapshot
 * says whether any of that is needed, so the usual claim skips those statements; `expired` is
 * how many slots expiry freed.
 */
export async function claimInTx(tx: DispatchTx, options: ClaimInTxOptions): Promise<ClaimInTxResult> {
  const { cache } = options;
  const outcomes = options.complete ?? [];
  const read = async (completion: { workerId: string; outcomes: readonly Outcome[] } | null) => {
    const full = cache.state.horizon === null;
    const snapshot = await loadDispatchSnapshot(tx, options.orgId ?? null, cache.state.horizon, cache.rates.lastId ?? 0, completion);
    // Leases name their worker without a foreign key (see the 20261130200000 migration).
    if (!snapshot.workerKnown) throw notFound("Worker");
    await refreshRates(tx, snapshot, cache.rates);
    await refresh(tx, snapshot, cache, options.envLimits, full);
    return snapshot;
  };
  let snapshot = await read({ workerId: options.workerId, outcomes });
  const completed = outcomes.length === 0 ? [] : await outcomeResults(tx, outcomes, snapshot.completed);
  let expired = 0;
  if (snapshot.leaseExpired || snapshot.scheduledDue) {
    if (snapshot.leaseExpired) expired = await expireLeases(tx);
    if (snapshot.scheduledDue) {
      await promoteScheduled(tx);
      await wakeDuePauses(tx, options.envLimits.max_paused_slots);
    }
    snapshot = await read(null);
  }
  // Resumed executions that kept their slots first (they are in flight already), then forced
  // ones, ignoring caps; once started, forced ones count like any other in flight.
  const held = await startHeld(tx, options, snapshot);
  const forced = await startForced(tx, { ...options, limit: options.limit - held.length }, snapshot);
  const started = [...held, ...forced];
  const limit = options.limit - started.length;
  const nothing = { claimed: started, expired, completed, refilled: forced.length, wakeAtMs: snapshot.nextScheduledMs };
  if (limit <= 0 || cache.state.size === 0) return nothing;
  const orgs = cache.state.roundOrgs({ orgId: options.orgId ?? null, queues: options.queues ?? null, limit, counts: snapshot.counts, lanes: cache.lanes, heads: cache.heads });
  if (orgs.length === 0) return nothing;
  const looked = new Map<number, Lane>();
  const gone: number[] = [];
  const picks = await pickInRounds(orgs, snapshot.counts, limit, headLoader(tx, cache.heads, cache.state, looked, gone));
  for (const laneId of gone) cache.state.forget(laneId);
  const wakeAtMs = picks.length < limit ? nextWake(looked.values(), snapshot, cache.rates) : null;
  if (picks.length === 0) return { ...nothing, wakeAtMs };
  const charges = picks.flatMap((p) => (p.resumed ? [] : rateCharges(looked.get(p.laneId)!.caps).map((c) => ({ executionId: p.executionId, ...c }))));
  const marking = markRunning(tx, picks, charges, options);
  // A held execution refills no freed slot: it kept its own.
  options.onMarkSent?.(completed.filter((c) => c.ok).length + expired - picks.length - forced.length);
  const { claimed, laneVersions } = await marking;
  const taken = new Set(claimed.map((c) => c.id));
  for (const laneId of new Set(picks.map((p) => p.laneId))) cache.heads.claimed(laneId, laneVersions.get(laneId) ?? null, taken);
  return { claimed: [...started, ...claimed], expired, completed, refilled: forced.length + claimed.length, wakeAtMs };
}

/**
 * Starts the forced executions this claimer serves (docs/lifecycle.md, "Run now") in a
 * statement of their own, before the fair pick reads any heads, so they are neither picked
 * twice nor counted as free: their slots go into `snapshot.counts`. Without any (the usual
 * case) it costs nothing: the forced queue is read only when the configuration version moved.
 */
async function startForced(tx: DispatchTx, options: ClaimInTxOptions, snapshot: DispatchSnapshot): Promise<ClaimedExecution[]> {
  const { cache } = options;
  await cache.forced.sync(tx, snapshot.configVersion);
  const entries = cache.forced.take({ orgId: options.orgId ?? null, queues: options.queues ?? null, limit: options.limit });
  if (entries.length === 0) return [];
  await cache.lanes.load(tx, entries.map((e) => e.laneId), options.envLimits);
  const picks: Pick[] = entries.map((e) => ({ executionId: e.id, laneId: e.laneId, orgId: e.orgId, resumed: false }));
  const laneOf = new Map(entries.map((e) => [e.id, cache.lanes.lane(e.laneId)]));
  // A start is a start: charged to its rate windows even though no cap held it back.
  const charges = picks.flatMap((p) => rateCharges(laneOf.get(p.executionId)?.caps ?? []).map((c) => ({ executionId: p.executionId, ...c })));
  const { claimed, laneVersions } = await markRunning(tx, picks, charges, options);
  cache.forced.drop(entries.map((e) => e.id));
  const taken = new Set(claimed.map((c) => c.id));
  for (const laneId of new Set(picks.map((p) => p.laneId))) cache.heads.claimed(laneId, laneVersions.get(laneId) ?? null, taken);
  // Started, they hold their slots and their starts: the fair pick after them sees both.
  for (const c of claimed) {
    const lane = laneOf.get(c.id);
    if (lane) addTo(snapshot.counts, [...scopesOf(lane.placement), ...rateCharges(lane.caps).map((r) => r.scope)]);
  }
  return claimed;
}

const startHeldStatement = statement<ClaimedRow>(
  "slotwise_start_held",
  `WITH claimed AS (
     UPDATE execution e SET
            state = 'RUNNING', lease_token = e.lease_token + 1, lease_worker_id = $2,
            lease_expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now(), resume_first = false, updated_at = now()
       FROM queue q
      WHERE e.id = ANY($1::uuid[]) AND e.state = 'QUEUED' AND e.holds_slot AND q.id = e.queue_id
     RETURNING e.id, e.org_id, e.project_id, e.flow_id, e.parent_id, q.name AS queue, e.kind, e.priority,
               e.payload, e.attempts, e.lease_token, e.lease_expires_at, e.lane_id, NULL::int AS lane_version),
   history AS (
     INSERT INTO execution_transition (execution_id, org_id, from_state, to_state, holds_slot, reason, actor, worker_id)
     SELECT id, org_id, 'QUEUED', 'RUNNING', true, 'continued in the slot it kept', 'worker', $2 FROM claimed)
   SELECT * FROM claimed`,
);

/**
 * Starts the resumed executions that kept their slots (sql/pauses.ts) this claimer serves,
 * oldest first: their slots are theirs, so no cap is checked and nothing is counted again
 * (the snapshot's in-flight already holds them), and no rate is charged (a resume is not a start).
 */
async function startHeld(tx: DispatchTx, options: ClaimInTxOptions, snapshot: DispatchSnapshot): Promise<ClaimedExecution[]> {
  if (snapshot.held.length === 0 || options.limit <= 0) return [];
  const serves = options.queues && options.queues.length > 0 ? new Set(options.queues) : null;
  const ids = snapshot.held.filter((h) => (!options.orgId || h.orgId === options.orgId) && (!serves || serves.has(h.queue))).slice(0, options.limit).map((h) => h.id);
  if (ids.length === 0) return [];
  const { rows } = await startHeldStatement(tx, [ids, options.workerId, options.leaseTtlMs]);
  return rows.map((r) => claimedOf(r, true));
}

/** The next scheduled start, or the earliest moment an exhausted rate window of the lanes looked at lets a start through. */
function nextWake(lanes: Iterable<Lane>, snapshot: { nextScheduledMs: number | null; nowMs: number }, rates: RateLog): number | null {
  let wake = snapshot.nextScheduledMs ?? Number.POSITIVE_INFINITY;
  for (const lane of lanes) {
    for (const cap of lane.caps) {
      if (cap.periodMs === undefined) continue;
      wake = Math.min(wake, rates.nextStartMs(cap.scope, cap.limit, snapshot.nowMs) ?? Number.POSITIVE_INFINITY);
    }
  }
  return Number.isFinite(wake) ? wake : null;
}

/** Gives lanes their heads: from the cache at the lanes' current versions, else read (a few extra, for later claims). Records each lane looked at. */
function headLoader(tx: Tx, cache: HeadCache, state: LaneState, looked: Map<number, Lane>, gone: number[]) {
  return async (lanes: { lane: Lane; count: number }[]): Promise<void> => {
    const misses: { lane: Lane; count: number }[] = [];
    for (const { lane, count } of lanes) {
      looked.set(lane.laneId, lane);
      const cached = cache.get(lane.laneId, state.version(lane.laneId)!, count);
      if (cached) lane.heads = cached;
      else misses.push({ lane, count: Math.max(count, HEAD_PREFETCH) });
    }
    const loaded = await loadLaneHeads(tx, misses.map(({ lane, count }) => ({ laneId: lane.laneId, count })));
    for (const { lane, count } of misses) {
      const found = loaded.get(lane.laneId);
      lane.heads = found?.heads ?? [];
      if (found) cache.remember(lane.laneId, found.version, found.heads, found.heads.length < count);
      // Emptied and swept away by another process since this one last looked: no snapshot
      // reports a deleted lane, so the state learns it here (after the rounds, which are
      // walking its order).
      if (lane.heads.length === 0) gone.push(lane.laneId);
    }
  };
}

interface ClaimedRow {
  id: string; org_id: string; project_id: string; flow_id: string | null; parent_id: string | null;
  queue: string; kind: string; priority: number; payload: unknown; attempts: number; lease_token: number;
  lease_expires_at: Date; lane_id: number | null; lane_version: number | null;
}

// A resumed execution already used its attempt; re-dispatching it must not spend another.
const markRunningStatement = statement<ClaimedRow>(
  "slotwise_mark_running",
  `WITH claimed AS (
     UPDATE execution e SET
            state = 'RUNNING', holds_slot = true,
            attempts = e.attempts + CASE WHEN e.resume_first THEN 0 ELSE 1 END,
            lease_token = e.lease_token + 1, lease_worker_id = $2,
            lease_expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now(),
            started_at = COALESCE(e.started_at, now()), paused_at = NULL, resume_first = false, updated_at = now()
       FROM queue q
      WHERE e.id = ANY($1::uuid[]) AND e.state = 'QUEUED' AND NOT e.holds_slot AND q.id = e.queue_id
     RETURNING e.id, e.org_id, e.project_id, e.flow_id, e.parent_id, q.name AS queue, e.kind, e.priority,
               e.payload, e.attempts, e.lease_token, e.lease_expires_at, e.lane_id),
   lanes AS (
     UPDATE dispatch_lane l SET queued = l.queued - c.n
       FROM (SELECT lane_id, count(*)::int AS n FROM claimed GROUP BY lane_id) c
      WHERE l.id = c.lane_id
     RETURNING l.id, l.version),
   history AS (
     INSERT INTO execution_transition (execution_id, org_id, from_state, to_state, holds_slot, actor, worker_id)
     SELECT id, org_id, 'QUEUED', 'RUNNING', true, 'worker', $2 FROM claimed),
   first_dispatch AS (
     UPDATE organization SET first_dispatch_at = now()
      WHERE id IN (SELECT org_id FROM claimed) AND first_dispatch_at IS NULL),
   -- The starts, charged to the rate windows they count in (resumes are not starts): one row
   -- for the whole claim, none when nothing it started is under a rate.
   charged AS (
     SELECT r.scope, count(*)::int AS n, now() + max(r.period_ms) * interval '1 millisecond' AS expires_at
       FROM unnest($4::uuid[], $5::text[], $6::int[]) AS r(execution_id, scope, period_ms)
      WHERE r.execution_id IN (SELECT id FROM claimed)
      GROUP BY r.scope),
   rate_charges AS (
     INSERT INTO rate_charge (scopes, starts, expiries, expires_at)
     SELECT array_agg(scope), array_agg(n), array_agg(expires_at), max(expires_at) FROM charged
     HAVING count(*) > 0)
   SELECT c.id, c.org_id, c.project_id, c.flow_id, c.parent_id, c.queue, c.kind, c.priority, c.payload, c.attempts,
          c.lease_token, c.lease_expires_at, c.lane_id, l.version AS lane_version
     FROM claimed c LEFT JOIN lanes l ON l.id = c.lane_id`,
);

/** The claimed executions, in the picks' fair order, and each updated lane's new version. */
async function markRunning(
  tx: Tx,
  picks: readonly Pick[],
  charges: readonly { executionId: string; scope: string; periodMs: number }[],
  options: ClaimInTxOptions,
): Promise<{ claimed: ClaimedExecution[]; laneVersions: Map<number, number> }> {
  const { rows } = await markRunningStatement(tx, [
    picks.map((p) => p.executionId), options.workerId, options.leaseTtlMs,
    charges.map((c) => c.executionId), charges.map((c) => c.scope), charges.map((c) => c.periodMs),
  ]);
  const laneVersions = new Map<number, number>();
  for (const r of rows) if (r.lane_id !== null && r.lane_version !== null) laneVersions.set(r.lane_id, r.lane_version);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const claimed = picks.flatMap((p) => {
    const r = byId.get(p.executionId);
    return r ? [claimedOf(r, p.resumed)] : [];
  });
  return { claimed, laneVersions };
}

function claimedOf(r: ClaimedRow, resumed: boolean): ClaimedExecution {
  return {
    id: r.id, orgId: r.org_id, projectId: r.project_id, flowId: r.flow_id, parentId: r.parent_id,
    queue: r.queue, kind: r.kind, priority: r.priority, payload: r.payload,
    attempt: r.attempts, leaseToken: r.lease_token, leaseExpiresAt: r.lease_expires_at, resumed,
  };
}
