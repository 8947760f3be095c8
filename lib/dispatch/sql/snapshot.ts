import { addTo, scopesOf, type Counts } from "../policy/scopes";
import { COMPLETE_CTES, outcomeParams, type Outcome } from "./complete";
import { placementOf, type PlacementRow } from "./lanes";
import { statement, type Tx } from "../../db/transaction";
import { LEASE_NOW } from "./transaction";
import type { RateStartRow } from "./rate-log";
import { CHARGED_STARTS } from "./rate-windows";

// Loads what a dispatch decision needs, always from the current configuration (edits apply
// at the next claim): the lanes that have queued work with every cap that applies to them,
// and in-flight counts per scope recounted from the executions that hold a slot.
//
// The recount costs O(in-flight), not O(backlog): it reads only rows with holds_slot
// (a partial index), which is bounded by capacity. Recounting instead of keeping counters
// means there is no counter that could drift from the execution rows.

const inFlightGroupsSql = (andWhere = "") => `
  SELECT e.org_id, e.project_id, p.pool_id, e.flow_id, e.queue_id, e.kind, e.parent_id, e.root_id, e.key_rule_ids, e.key_values, count(*)::int AS n
    FROM execution e JOIN project p ON p.id = e.project_id
   WHERE e.holds_slot ${andWhere}
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;

// Starts inside their rate windows, per scope (claims keep them in memory instead: rate-log.ts).
const RATE_WINDOWS_SQL = `SELECT scope, sum(n)::int AS n FROM ${CHARGED_STARTS} s GROUP BY scope`;

type RateRow = { scope: string; n: number };

const inFlightGroups = statement<PlacementRow & { n: number }>("slotwise_in_flight_groups", inFlightGroupsSql());

function countsOf(groups: readonly (PlacementRow & { n: number })[]): Counts {
  const counts: Counts = new Map();
  for (const row of groups) addTo(counts, scopesOf(placementOf(row)), row.n);
  return counts;
}

const rateWindows = statement<RateRow>("slotwise_rate_windows", RATE_WINDOWS_SQL);

function addRates(counts: Counts, rates: readonly RateRow[]): void {
  for (const r of rates) counts.set(r.scope, r.n);
}

/** In-flight counts per scope and the rate windows' starts (see caps.ts), as dispatch counts them. */
const forcedInFlightGroups = statement<PlacementRow & { n: number }>("slotwise_forced_in_flight_groups", inFlightGroupsSql("AND e.forced_at IS NOT NULL"));

/** Per scope, the in-flight executions an admin forced to run now (explain names them). */
export async function loadForcedInFlightCounts(tx: Tx): Promise<Counts> {
  return countsOf((await forcedInFlightGroups(tx, [])).rows);
}

export async function loadInFlightCounts(tx: Tx): Promise<Counts> {
  const counts = countsOf((await inFlightGroups(tx, [])).rows);
  addRates(counts, (await rateWindows(tx, [])).rows);
  return counts;
}


/**
 * What a claim reads before deciding, in one round trip: the configuration version (see
 * lane-cache.ts), the lanes that changed (ids and counters only; their configuration comes
 * from the cache, the rest from lane-state.ts) and the in-flight recount. The same statement first completes the
 * claiming worker's finished executions (complete.ts), so the slots they free count.
 */
export interface DispatchSnapshot {
  /** Ids of the executions the completion in the same statement accepted. */
  completed: Set<string>;
  configVersion: number;
  /** Some RUNNING execution's lease has run out (expire it, then read again). */
  leaseExpired: boolean;
  /** The completing worker is registered (true when there is none). */
  workerKnown: boolean;
  /**
   * [lane id, queued, version] of every lane that changed since `horizon` (queued 0: it is
   * empty now), or of every lane with queued work when there was none (docs/dispatch.md, "Many lanes").
   */
  lanes: [number, number, number][];
  /** Pass to the next snapshot: every change after this one is at or after it. */
  horizon: string;
  /** In flight per scope (rate scopes come from rate-log.ts). */
  counts: Counts;
  /** Rate starts with an id above the one asked for that are still in their windows. */
  rateStarts: RateStartRow[];
  /** The transaction's now(), the time rate windows are measured at (epoch ms). */
  nowMs: number;
  /** Some scheduled execution or pause is due (move it into its lane, act on the pause, then read again). */
  scheduledDue: boolean;
  /** When the next scheduled execution or pause of the worker's org (or any) comes due, epoch ms. */
  nextScheduledMs: number | null;
  /** Resumed executions that kept their slots, oldest first: claims start them before the fair pick (sql/pauses.ts). */
  held: HeldEntry[];
}

export interface HeldEntry {
  id: string;
  orgId: string;
  queue: string;
}

// The statement's reads do not see its own completion, so the in-flight recount leaves out
// what it completed; lease_expired needs no such care (a completion needs a live lease).
type SnapshotRow = {
  done: string[]; version: number; lease_expired: boolean; worker_known: boolean; lanes: [number, number, number][]; horizon: string;
  in_flight: (PlacementRow & { n: number })[]; rate_starts: RateStartRow[]; now_ms: number; scheduled_due: boolean; next_scheduled_ms: number | null;
  held: [string, string, string][];
};

// The lanes part comes in two forms: all lanes with queued work (a process's first look, or
// after the configuration changed), and the rows changed by transactions at or after the
// horizon of the previous look (pg_snapshot_xmin: the oldest transaction still running then;
// a change committed later was made by it or a later one).
const snapshotSql = (lanes: string) => `${COMPLETE_CTES}
   SELECT (SELECT coalesce(json_agg(id), '[]') FROM done) AS done,
          (SELECT version FROM dispatch_config_version WHERE id = 1) AS version,
          EXISTS (SELECT 1 FROM execution WHERE state = 'RUNNING' AND lease_expires_at < ${LEASE_NOW}) AS lease_expired,
          ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM worker WHERE id = $6)) AS worker_known,
          (SELECT coalesce(json_agg(json_build_array(l.id, l.queued, l.version)), '[]') FROM dispatch_lane l WHERE ${lanes}) AS lanes,
          pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
          (SELECT coalesce(json_agg(g), '[]') FROM (${inFlightGroupsSql("AND e.id NOT IN (SELECT id FROM done)")}) g) AS in_flight,
          (SELECT coalesce(json_agg(json_build_array(id, scope, (extract(epoch FROM expires_at) * 1000)::float8, n)), '[]')
             FROM ${CHARGED_STARTS} s WHERE id > $10) AS rate_starts,
          (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
          coalesce(due.next <= now(), false) AS scheduled_due,
          (extract(epoch FROM CASE WHEN $8::uuid IS NULL THEN due.next ELSE LEAST(
             (SELECT min(start_after) FROM execution WHERE waiting_lane_id IS NOT NULL AND org_id = $8),
             (SELECT min(pause_until) FROM execution WHERE state = 'PAUSED' AND pause_until IS NOT NULL AND org_id = $8)
           ) END) * 1000)::float8 AS next_scheduled_ms,
          (SELECT coalesce(json_agg(json_build_array(e.id, e.org_id, q.name) ORDER BY e.seq), '[]')
             FROM execution e JOIN queue q ON q.id = e.queue_id WHERE e.state = 'QUEUED' AND e.holds_slot) AS held
     FROM (SELECT LEAST(
             (SELECT min(start_after) FROM execution WHERE waiting_lane_id IS NOT NULL),
             (SELECT min(pause_until) FROM execution WHERE state = 'PAUSED' AND pause_until IS NOT NULL)) AS next) due`;

const fullSnapshot = statement<SnapshotRow>("slotwise_dispatch_snapshot_full", snapshotSql("l.queued > 0 AND $9::text IS NULL"));
const changesSnapshot = statement<SnapshotRow>("slotwise_dispatch_snapshot", snapshotSql("l.changed_xid >= $9::xid8"));

/**
 * `horizon`: the previous snapshot's, to read only the lanes changed since; null for all of
 * them. `rateStartsAfter`: the highest rate charge id already known (0: none).
 */
export async function loadDispatchSnapshot(
  tx: Tx,
  orgId: string | null,
  horizon: string | null,
  rateStartsAfter: number,
  completion: { workerId: string; outcomes: readonly Outcome[] } | null = null,
): Promise<DispatchSnapshot> {
  const params = [...outcomeParams(completion?.workerId ?? null, completion?.outcomes ?? []), orgId, horizon, rateStartsAfter];
  const row = (await (horizon === null ? fullSnapshot : changesSnapshot)(tx, params)).rows[0]!;
  return {
    completed: new Set(row.done), configVersion: row.version, leaseExpired: row.lease_expired, workerKnown: row.worker_known, lanes: row.lanes, horizon: row.horizon,
    counts: countsOf(row.in_flight), rateStarts: row.rate_starts, nowMs: row.now_ms, scheduledDue: row.scheduled_due, nextScheduledMs: row.next_scheduled_ms,
    held: row.held.map(([id, orgId, queue]) => ({ id, orgId, queue })),
  };
}

const queuedLanes = statement<{ lanes: [number, number, number][] }>(
  "slotwise_queued_lanes",
  "SELECT coalesce(json_agg(json_build_array(id, queued, version)), '[]') AS lanes FROM dispatch_lane WHERE queued > 0",
);

/** [lane id, queued, version] of every lane with queued work (a full read of what snapshots report changes of). */
export async function loadQueuedLanes(tx: Tx): Promise<[number, number, number][]> {
  return (await queuedLanes(tx, [])).rows[0]!.lanes;
}

const rateStarts = statement<{ starts: RateStartRow[] }>(
  "slotwise_rate_starts",
  `SELECT coalesce(json_agg(json_build_array(id, scope, (extract(epoch FROM expires_at) * 1000)::float8, n)), '[]') AS starts
     FROM ${CHARGED_STARTS} s`,
);

/** Every rate start still in its window (a full read of what snapshots report the new ones of). */
export async function loadRateStarts(tx: Tx): Promise<RateStartRow[]> {
  return (await rateStarts(tx, [])).rows[0]!.starts;
}
