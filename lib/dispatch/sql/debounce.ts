import { CHANGE_CHANNEL } from "../../db/notifications";
import type { Tx } from "../../db/transaction";

// Debounce (docs/limits.md): while a debounced execution of a flow waits for its start, a
// submission with its key replaces its payload and pushes the start back. Submissions of one
// (flow, key) take turns on an advisory lock, and the waiting execution's row is locked, so
// dispatch either moves it into its lane first (then the submission makes a new one) or after.

export async function lockDebounceKey(tx: Tx, flowId: string, key: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('slotwise:debounce:' || $1 || ':' || $2, 0))", [flowId, key]);
}

/** The flow's execution still waiting under this debounce key, locked. */
export async function waitingDebounced(tx: Tx, flowId: string, key: string): Promise<{ id: string; deadline: Date } | null> {
  const { rows } = await tx.query<{ id: string; debounce_deadline: Date }>(
    `SELECT id, debounce_deadline FROM execution
      WHERE flow_id = $1 AND debounce_key = $2 AND waiting_lane_id IS NOT NULL
      ORDER BY seq DESC LIMIT 1 FOR UPDATE`,
    [flowId, key],
  );
  return rows[0] ? { id: rows[0].id, deadline: rows[0].debounce_deadline } : null;
}

/** The latest submission's payload (and the keys and lane that follow from it), and the later start. */
export async function pushDebounced(
  tx: Tx,
  id: string,
  next: { payload: unknown; concurrencyKey: string | null; keyRuleIds: string[]; keyValues: string[]; laneId: number; startAfter: Date },
): Promise<void> {
  // No state changes, so no history row announces it: its org's pages learn it from the notification.
  await tx.query(
    `WITH pushed AS (
       UPDATE execution SET payload = $2, concurrency_key = $3, key_rule_ids = $4, key_values = $5, waiting_lane_id = $6,
              start_after = $7, updated_at = now()
        WHERE id = $1 RETURNING org_id)
     SELECT pg_notify('${CHANGE_CHANNEL}', org_id::text) FROM pushed`,
    [id, JSON.stringify(next.payload ?? {}), next.concurrencyKey, next.keyRuleIds, next.keyValues, next.laneId, next.startAfter],
  );
}
