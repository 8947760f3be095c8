import { addTo, scopesOf, type Counts } from "../policy/scopes";
import { COMPLETE_CTES, outcomeParams, type Outcome } from "./complete";
import { placementOf, type PlacementRow } from "./lanes";
import { statement, type Tx } from "../../db/transaction";
import { LEASE_NOW } from "./transaction";

// Loads what a dispatch decision needs, always from the current configuration (edits apply
// at the next claim): the lanes that have queued work with every cap that applies to them,
// and in-flight counts per scope recounted from the executions that hold a slot.
//
// The recount costs O(in-flight), not O(backlog): it reads only rows with holds_slot
// (a partial index), which is bounded by capacity. Recounting instead of keeping counters
// means there is no counter that could drift from the execution rows.

const inFlightGroupsSql = (andWhere = "") => `
  SELECT e.org_id, e.project_id, p.pool_id, e.flow_id, e.queue_id, e.kind, e.parent_id, e.root_id, count(*)::int AS n
    FROM execution e JOIN project p ON p.id = e.project_id
   WHERE e.holds_slot ${andWhere}
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

const inFlightGroups = statement<PlacementRow & { n: number }>("slotwise_in_flight_groups", inFlightGroupsSql());

function countsOf(groups: readonly (PlacementRow & { n: number })[]): Counts {
  const counts: Counts = new Map();
  for (const row of groups) addTo(counts, scopesOf(placementOf(row)), row.n);
  return counts;
}

export async function loadInFlightCounts(tx: Tx): Promise<Counts> {
  return countsOf((await inFlightGroups(tx, [])).rows);
}

/**
 * What a claim reads before deciding, in one round trip: the configuration version (see
 * lane-cache.ts), the lanes with queued work (ids and counters only; their configuration
 * comes from the cache) and the in-flight recount. The same statement first completes the
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
  /** [lane id, queued, version] for every lane with queued work (of the worker's org, if scoped). */
  lanes: [number, number, number][];
  counts: Counts;
}

// The statement's reads do not see its own completion, so the in-flight recount leaves out
// what it completed; lease_expired needs no such care (a completion needs a live lease).
const snapshotStatement = statement<{ done: string[]; version: number; lease_expired: boolean; worker_known: boolean; lanes: [number, number, number][]; in_flight: (PlacementRow & { n: number })[] }>(
  "slotwise_dispatch_snapshot",
  `${COMPLETE_CTES}
   SELECT (SELECT coalesce(json_agg(id), '[]') FROM done) AS done,
          (SELECT version FROM dispatch_config_version WHERE id = 1) AS version,
          EXISTS (SELECT 1 FROM execution WHERE state = 'RUNNING' AND lease_expires_at < ${LEASE_NOW}) AS lease_expired,
          ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM worker WHERE id = $6)) AS worker_known,
          (SELECT coalesce(json_agg(json_build_array(l.id, l.queued, l.version)), '[]') FROM dispatch_lane l
            WHERE l.queued > 0 AND ($7::uuid IS NULL OR l.org_id = $7)) AS lanes,
          (SELECT coalesce(json_agg(g), '[]') FROM (${inFlightGroupsSql("AND e.id NOT IN (SELECT id FROM done)")}) g) AS in_flight`,
);

export async function loadDispatchSnapshot(tx: Tx, orgId: string | null, completion: { workerId: string; outcomes: readonly Outcome[] } | null = null): Promise<DispatchSnapshot> {
  const params = outcomeParams(completion?.workerId ?? null, completion?.outcomes ?? []);
  const row = (await snapshotStatement(tx, [...params, orgId])).rows[0]!;
  return { completed: new Set(row.done), configVersion: row.version, leaseExpired: row.lease_expired, workerKnown: row.worker_known, lanes: row.lanes, counts: countsOf(row.in_flight) };
}
