import { notFound } from "../core/errors";
import { capsFor, fullCaps, roomUnder } from "./policy/caps";
import { AHEAD_COUNT_LIMIT, explain, type RateStatus, type Reason, type ServingWorkers } from "./policy/explain";
import type { CapStatus } from "./policy/caps";
import { rateWindows } from "./sql/rate-windows";
import { loadRatio } from "./policy/fair-order";
import { scopeKey, countOf } from "./policy/scopes";
import { capConfigOf, LANE_SELECT, laneOf, loadActiveLanes, placementOf, type LaneRow } from "./sql/lanes";
import { loadForcedInFlightCounts, loadInFlightCounts } from "./sql/snapshot";
import { withTransaction, type Db, type Tx } from "../db/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";
import { WORKER_LIVENESS_SECONDS } from "../workers/registry";

// Gathers the facts for explain() from one consistent snapshot (REPEATABLE READ): the
// execution's caps against current in-flight counts, its place in fair order, and whether a
// live worker serves its queue.

export async function explainExecution(db: Db, executionId: string, orgId: string | null, overrides: Partial<SchedulerOptions> = {}): Promise<Reason[]> {
  const { envLimits } = schedulerOptions(overrides);
  return withTransaction(db, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await tx.query<{
      state: string; lane_id: number | null; waiting: boolean; start_after: Date | null; seq: number; priority: number; resume_first: boolean; queue: string; org_id: string;
      attempts: number; max_attempts: number; holds_slot: boolean;
      pause_kind: "delay" | "approval" | null; pause_until: Date | null; pause_on_due: "resume" | "fail" | null;
    }>(
      `SELECT e.state, e.lane_id, e.waiting_lane_id IS NOT NULL AS waiting, e.start_after, e.seq, e.priority, e.resume_first, q.name AS queue, e.org_id,
              e.attempts, e.max_attempts, e.holds_slot, e.pause_kind, e.pause_until, e.pause_on_due
         FROM execution e JOIN queue q ON q.id = e.queue_id
        WHERE e.id = $1 AND ($2::uuid IS NULL OR e.org_id = $2)`,
      [executionId, orgId],
    );
    const execution = rows[0];
    if (!execution) throw notFound("Execution");
    const servingWorkers = () => servingWorkersOf(tx, execution.org_id, execution.queue);
    const workerServesQueue = async () => (await servingWorkers()).count > 0;
    const facts = { state: execution.state, fullCaps: [], orgsAhead: 0, aheadInOrg: 0, queue: execution.queue };
    if (execution.state === "QUEUED" && execution.waiting) {
      // Waiting after an attempt: a retry's backoff (the attempts so far are started ones).
      const retry = execution.attempts > 0 ? { attempt: execution.attempts + 1, maxAttempts: execution.max_attempts } : null;
      return explain({ ...facts, scheduledFor: execution.start_after, retry, workerServesQueue: await workerServesQueue() });
    }
    if (execution.state === "PAUSED" && execution.pause_kind) {
      const pause = { waitingFor: execution.pause_kind, until: execution.pause_until, onDue: execution.pause_on_due, holdsSlot: execution.holds_slot };
      return explain({ ...facts, pause, workerServesQueue: true });
    }
    if (execution.state === "QUEUED" && execution.holds_slot) return explain({ ...facts, resumingInSlot: true, workerServesQueue: await workerServesQueue() });
    if (execution.state !== "QUEUED" || execution.lane_id === null) return explain({ ...facts, workerServesQueue: true });
    const counts = await loadInFlightCounts(tx);
    const laneRow = (await tx.query<LaneRow>(`${LANE_SELECT} WHERE l.id = $1`, [execution.lane_id])).rows[0]!;
    // A resumed execution is not held back by rate limits (resuming is not a start).
    const caps = capsFor(placementOf(laneRow), capConfigOf(laneRow, envLimits)).filter((cap) => !(execution.resume_first && cap.periodMs !== undefined));
    const forced = await loadForcedInFlightCounts(tx);
    const full = (await withNextStarts(tx, fullCaps(caps, counts))).map((cap) => (countOf(forced, cap.scope) > 0 ? { ...cap, forced: countOf(forced, cap.scope) } : cap));

    // Fair order: orgs with startable work and a lower ratio, and startable work of the
    // same org that goes first (resumed, queue priority, priority, age).
    const lanes = (await loadActiveLanes(tx)).map((row) => ({ row, lane: laneOf(row, envLimits) }));
    const startable = lanes.filter(({ lane }) => roomUnder(lane.caps, counts) > 0);
    const myRatio = loadRatio(countOf(counts, scopeKey.org(execution.org_id)), laneRow.weight);
    const orgsAhead = new Set(
      startable
        .filter(({ row }) => row.org_id !== execution.org_id && loadRatio(countOf(counts, scopeKey.org(row.org_id)), row.weight) < myRatio)
        .map(({ row }) => row.org_id),
    ).size;
    const sameOrgLanes = startable.filter(({ row }) => row.org_id === execution.org_id).map(({ row }) => row.id);
    const ahead = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM execution e JOIN queue q ON q.id = e.queue_id
          WHERE e.lane_id = ANY($1::bigint[]) AND e.state = 'QUEUED' AND NOT e.holds_slot AND e.id <> $2
            AND (e.resume_first, q.priority, e.priority, -e.seq) > ($3, $4, $5, -$6::bigint)
          LIMIT $7) ahead`,
      [sameOrgLanes, executionId, execution.resume_first, laneRow.queue_priority, execution.priority, execution.seq, AHEAD_COUNT_LIMIT + 1],
    );
    const workers = await servingWorkers();
    return explain({ ...facts, fullCaps: full, orgsAhead, aheadInOrg: ahead.rows[0]!.n, workerServesQueue: workers.count > 0, workers });
  });
}

/**
 * The live workers serving a queue of an org: how many, what they hold (of every org: a worker
 * of every org has one capacity for all), what they declared, and when one last asked for work
 * (or registered, if it never has).
 */
export async function servingWorkersOf(tx: Tx, orgId: string, queue: string): Promise<ServingWorkers> {
  const { rows: [w] } = await tx.query<{ n: number; undeclared: number; holding: number; capacity: number; busy: number; last_claim_at: Date | null; now: Date }>(
    `WITH serving AS (
       SELECT w.id, w.concurrency, coalesce(w.last_claim_at, w.created_at) AS last_claim_at,
              (SELECT count(*)::int FROM execution e WHERE e.state = 'RUNNING' AND e.lease_worker_id = w.id) AS holding
         FROM worker w
        WHERE w.last_seen_at > now() - $1 * interval '1 second'
          AND (w.org_id IS NULL OR w.org_id = $2)
          AND (cardinality(w.queues) = 0 OR $3 = ANY(w.queues)))
     SELECT count(*)::int AS n, count(*) FILTER (WHERE concurrency IS NULL)::int AS undeclared,
            coalesce(sum(holding) FILTER (WHERE concurrency IS NOT NULL), 0)::int AS holding, coalesce(sum(concurrency), 0)::int AS capacity,
            count(*) FILTER (WHERE holding >= concurrency)::int AS busy, max(last_claim_at) AS last_claim_at, now() AS now
       FROM serving`,
    [WORKER_LIVENESS_SECONDS, orgId, queue],
  );
  // Busy only when every one of them declared what it runs at once and holds that much.
  return { count: w!.n, busy: w!.n > 0 && w!.undeclared === 0 && w!.busy === w!.n, holding: w!.holding, capacity: w!.capacity, lastClaimAt: w!.last_claim_at, now: w!.now };
}

/** A used-up rate window's status carries when it lets the next start through. */
export async function withNextStarts(tx: Tx, full: CapStatus[]): Promise<(CapStatus | RateStatus)[]> {
  const windows = await rateWindows(tx, new Map(full.filter((cap) => cap.periodMs !== undefined).map((cap) => [cap.scope, cap.limit])));
  return full.map((cap) => {
    const next = windows.get(cap.scope)?.nextStartAt;
    return next ? { ...cap, nextStartAt: next } : cap;
  });
}
