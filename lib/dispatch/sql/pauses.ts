import { rebalancePausedSlots } from "./leases";
import { adjustLanes, recordTransitions } from "./transitions";
import { isoText } from "./complete";
import type { DispatchTx } from "./transaction";

// Pauses are the platform's (docs/lifecycle.md, "Pauses"): a paused execution has no lease and
// no worker; it waits for its delay to pass, an approval, its timeout, or a resume. Resumed, it
// goes back to QUEUED ahead of new work: one that kept its slot keeps holding it on the way
// (claims start it before the fair pick, no cap checked, no other execution able to take the
// slot: sql/claim.ts startHeld) and is not counted in its lane; one that gave its slot back
// joins its lane's head and passes every cap again.

export interface PausedRow {
  id: string;
  org_id: string;
  holds_slot: boolean;
  lane_id: number | null;
}

/** Resumes these PAUSED executions (locked by the caller) into the queue. */
export async function resumeRows(
  tx: DispatchTx,
  rows: readonly PausedRow[],
  by: { actor: string; workerId?: string | null; reason: string },
  envMaxPausedSlots: number,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE execution SET state = 'QUEUED', resume_first = true, paused_at = NULL, lease_worker_id = NULL,
            pause_kind = NULL, pause_until = NULL, pause_on_due = NULL, updated_at = now()
      WHERE id = ANY($1::uuid[])`,
    [rows.map((r) => r.id)],
  );
  await adjustLanes(tx, rows.filter((r) => !r.holds_slot).map((r) => r.lane_id), 1);
  await recordTransitions(tx, rows.map((r) => ({
    executionId: r.id, orgId: r.org_id, from: "PAUSED", to: "QUEUED", holdsSlot: r.holds_slot, actor: by.actor, workerId: by.workerId ?? null,
    reason: `${by.reason}: ${r.holds_slot ? "keeps its slot until a worker serving its queue continues it" : "waits for a slot ahead of new work"}`,
  })));
  await rebalancePausedSlots(tx, rows.map((r) => r.org_id), envMaxPausedSlots);
}

/** Pauses acted on per statement; the rest in the next pass. */
const DUE_BATCH = 1_000;

/**
 * Acts on the pauses whose time has come: delays resume, approvals past their timeout fail
 * (final: nobody approved) or resume, as the pause said. Claims do this when their snapshot
 * says something is due (so on time: a claim waiting for work sleeps until then), and every
 * instance's sweeper twice a second. Returns how many it acted on.
 */
export async function wakeDuePauses(tx: DispatchTx, envMaxPausedSlots: number): Promise<number> {
  const { rows } = await tx.query<PausedRow & { pause_kind: string; pause_on_due: string; until: string }>(
    `SELECT id, org_id, holds_slot, lane_id, pause_kind, pause_on_due, ${isoText("pause_until")} AS until FROM execution
      WHERE state = 'PAUSED' AND pause_until <= now()
      ORDER BY pause_until LIMIT ${DUE_BATCH}
      FOR UPDATE SKIP LOCKED`,
  );
  if (rows.length === 0) return 0;
  const resume = rows.filter((r) => r.pause_on_due === "resume");
  const fail = rows.filter((r) => r.pause_on_due === "fail");
  for (const kind of ["delay", "approval"]) {
    const these = resume.filter((r) => r.pause_kind === kind);
    const reason = kind === "delay" ? "resumed by the platform: its delay is over" : "resumed by the platform: no approval before its timeout";
    await resumeRows(tx, these, { actor: "system", reason }, envMaxPausedSlots);
  }
  if (fail.length > 0) {
    // Final: nobody approved it in time, and no retry would change that.
    await tx.query(
      `UPDATE execution SET state = 'FAILED', holds_slot = false, paused_at = NULL, lease_worker_id = NULL, reason = 'approval timed out',
              pause_kind = NULL, pause_until = NULL, pause_on_due = NULL, finished_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [fail.map((r) => r.id)],
    );
    await recordTransitions(tx, fail.map((r) => ({ executionId: r.id, orgId: r.org_id, from: "PAUSED", to: "FAILED", holdsSlot: false, actor: "system", reason: `approval timed out at ${r.until}` })));
    await rebalancePausedSlots(tx, fail.map((r) => r.org_id), envMaxPausedSlots);
  }
  return rows.length;
}
