import type { Tx } from "../../db/transaction";

export type ExecutionState = "QUEUED" | "RUNNING" | "PAUSED" | "SUCCESS" | "FAILED" | "CANCELLED" | "KILLED";
export const LIVE_STATES: readonly ExecutionState[] = ["QUEUED", "RUNNING", "PAUSED"];

export interface TransitionRow {
  executionId: string;
  orgId: string;
  from: ExecutionState | null;
  to: ExecutionState;
  holdsSlot: boolean;
  reason?: string | null;
  actor?: string | null;
  workerId?: string | null;
}

/** Appends rows to the execution history in one statement. */
export async function recordTransitions(tx: Tx, rows: readonly TransitionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO execution_transition (execution_id, org_id, from_state, to_state, holds_slot, reason, actor, worker_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::execution_state[], $4::execution_state[], $5::boolean[], $6::text[], $7::text[], $8::uuid[])`,
    [
      rows.map((r) => r.executionId),
      rows.map((r) => r.orgId),
      rows.map((r) => r.from),
      rows.map((r) => r.to),
      rows.map((r) => r.holdsSlot),
      rows.map((r) => r.reason ?? null),
      rows.map((r) => r.actor ?? null),
      rows.map((r) => r.workerId ?? null),
    ],
  );
}

/** Adds `delta` to the queued counters of lanes (one entry per execution). */
export async function adjustLanes(tx: Tx, laneIds: readonly (number | null)[], delta: 1 | -1): Promise<void> {
  const ids = laneIds.filter((id): id is number => id !== null);
  if (ids.length === 0) return;
  await tx.query(
    `UPDATE dispatch_lane l SET queued = l.queued + $2 * c.n
       FROM (SELECT id, count(*)::int AS n FROM unnest($1::bigint[]) AS id GROUP BY id) c
      WHERE l.id = c.id`,
    [ids, delta],
  );
}
