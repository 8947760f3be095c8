import { recordTransitions } from "./transitions";
import { statement } from "../../db/transaction";
import { LEASE_NOW, type DispatchTx } from "./transaction";
import { isoText, RETRY_AT } from "./complete";

// Lease expiry. A RUNNING execution whose lease ran out gives its slot back at once: it is
// queued again while it has attempts left, else it fails with reason "lease expired".
// "Ran out" is measured against LEASE_NOW, the platform's own clock, which stands still while
// the platform could not receive heartbeats (docs/leases.md). Rows another transaction holds
// are skipped (SKIP LOCKED): that one is completing or ending them, and waiting for it under
// the dispatch lock would stall every instance.
// Called under the dispatch lock by every claim, by heartbeats and completions that find an
// expired lease, and by each app instance's sweeper, so no single process has to survive
// for expiry to happen.

/** An expired lease with attempts left under a retry policy: the next attempt waits for its backoff. */
const BACKS_OFF = "(e.attempts < e.max_attempts AND e.retry_initial_ms IS NOT NULL AND e.lane_id IS NOT NULL)";

const expireStatement = statement<{ n: number }>(
  "slotwise_expire_leases",
  `WITH expired AS (
     SELECT id, lease_worker_id AS worker_id FROM execution
      WHERE state = 'RUNNING' AND lease_expires_at < ${LEASE_NOW}
        AND ($1::uuid[] IS NULL OR id = ANY($1))
      FOR UPDATE SKIP LOCKED),
   ended AS (
     UPDATE execution e SET
            state = (CASE WHEN e.attempts < e.max_attempts THEN 'QUEUED' ELSE 'FAILED' END)::execution_state,
            holds_slot = false, lease_worker_id = NULL, lease_expires_at = NULL, resume_first = false,
            reason = CASE WHEN e.attempts < e.max_attempts THEN NULL ELSE 'lease expired' END,
            finished_at = CASE WHEN e.attempts < e.max_attempts THEN NULL ELSE now() END,
            -- With a retry policy the next attempt waits for its backoff outside its lane.
            lane_id = CASE WHEN ${BACKS_OFF} THEN NULL ELSE e.lane_id END,
            waiting_lane_id = CASE WHEN ${BACKS_OFF} THEN e.lane_id END,
            start_after = CASE WHEN ${BACKS_OFF} THEN ${RETRY_AT} ELSE e.start_after END,
            updated_at = now()
       FROM expired
      WHERE e.id = expired.id
     RETURNING e.id, e.org_id, e.lane_id, e.state, expired.worker_id, e.attempts, e.max_attempts, e.start_after, e.waiting_lane_id),
   lanes AS (
     UPDATE dispatch_lane l SET queued = l.queued + c.n
       FROM (SELECT lane_id, count(*)::int AS n FROM ended WHERE state = 'QUEUED' AND lane_id IS NOT NULL GROUP BY lane_id) c
      WHERE l.id = c.lane_id),
   history AS (
     INSERT INTO execution_transition (execution_id, org_id, from_state, to_state, holds_slot, reason, actor, worker_id)
     SELECT id, org_id, 'RUNNING', state, false,
            CASE WHEN state = 'FAILED' THEN 'lease expired'
                 WHEN waiting_lane_id IS NOT NULL THEN 'lease expired (attempt ' || attempts || ' of ' || max_attempts || '); retry at '
                   || ${isoText("start_after")}
                 ELSE 'lease expired (attempt ' || attempts || '); queued again' END,
            'system', worker_id
       FROM ended)
   SELECT count(*)::int AS n FROM ended`,
);

export async function expireLeases(tx: DispatchTx, onlyIds: readonly string[] | null = null): Promise<number> {
  const { rows } = await expireStatement(tx, [onlyIds]);
  return rows[0]?.n ?? 0;
}

/**
 * Re-ranks the paused executions of the given orgs: the first max_paused_slots (by pause
 * time) release their slot, the rest hold it. Runs after every change to an org's paused
 * set or to its max_paused_slots, under the dispatch lock.
 */
export async function rebalancePausedSlots(tx: DispatchTx, orgIds: readonly string[], envMaxPausedSlots: number): Promise<void> {
  if (orgIds.length === 0) return;
  const { rows } = await tx.query<{ id: string; org_id: string; holds_slot: boolean }>(
    `WITH ranked AS (
       SELECT e.id, e.org_id,
              row_number() OVER (PARTITION BY e.org_id ORDER BY e.paused_at, e.seq) AS rank
         FROM execution e
        WHERE e.org_id = ANY($1::uuid[]) AND e.state = 'PAUSED'),
     target AS (
       SELECT r.id, r.rank > LEAST($2::int, o.max_paused_slots) AS hold
         FROM ranked r JOIN organization o ON o.id = r.org_id)
     UPDATE execution e SET holds_slot = t.hold, updated_at = now()
       FROM target t
      WHERE e.id = t.id AND e.holds_slot <> t.hold
     RETURNING e.id, e.org_id, e.holds_slot`,
    [[...new Set(orgIds)], envMaxPausedSlots],
  );
  await recordTransitions(
    tx,
    rows.map((r) => ({
      executionId: r.id,
      orgId: r.org_id,
      from: "PAUSED",
      to: "PAUSED",
      holdsSlot: r.holds_slot,
      reason: r.holds_slot ? "paused beyond max_paused_slots: holds its slot" : "paused within max_paused_slots: slot released",
      actor: "system",
    })),
  );
}
