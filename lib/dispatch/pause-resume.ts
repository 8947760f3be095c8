import { recordAudit } from "../audit/record-audit";
import { conflict, notFound } from "../core/errors";
import { rebalancePausedSlots } from "./sql/leases";
import { resumeRows, type PausedRow } from "./sql/pauses";
import { recordTransitions } from "./sql/transitions";
import { type Db } from "../db/transaction";
import { LEASE_NOW, notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";

// Pause and resume (docs/lifecycle.md, "Pauses"). A pause belongs to the platform, not to the
// worker that asked for it: the worker's lease ends with the pause, so the worker may stop or
// die meanwhile. The platform resumes a delay on time and acts on an approval's timeout
// (sql/pauses.ts); an org admin approves; a worker may resume it early. Every resume puts it
// back in the queue ahead of new work, for the next claim of a worker serving its queue.
// A paused execution keeps its slot unless it is among the org's first max_paused_slots
// paused executions (sql/leases.ts rebalancePausedSlots).

/** What the paused execution waits for. */
export type PauseWait =
  | { kind: "delay"; resumeAt: Date }
  | { kind: "approval"; timeoutAt: Date | null; onTimeout: "fail" | "resume" };

export interface PauseResult {
  state: "PAUSED";
  holdsSlot: boolean;
  waitingFor: "delay" | "approval";
  /** When the platform acts on it by itself (resumes a delay, times out an approval); null: never. */
  until: Date | null;
}

export async function pauseExecution(
  db: Db,
  input: { executionId: string; leaseToken: number; workerId: string; wait?: PauseWait },
  overrides: Partial<SchedulerOptions> = {},
): Promise<PauseResult> {
  const { envLimits } = schedulerOptions(overrides);
  const wait: PauseWait = input.wait ?? { kind: "approval", timeoutAt: null, onTimeout: "fail" };
  const until = wait.kind === "delay" ? wait.resumeAt : wait.timeoutAt;
  const onDue = until === null ? null : wait.kind === "delay" ? "resume" : wait.onTimeout;
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ org_id: string }>(
      `UPDATE execution SET state = 'PAUSED', paused_at = clock_timestamp(), lease_expires_at = NULL,
              pause_kind = $4, pause_until = $5, pause_on_due = $6, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND lease_worker_id = $3 AND state = 'RUNNING' AND lease_expires_at >= ${LEASE_NOW}
       RETURNING org_id`,
      [input.executionId, input.leaseToken, input.workerId, wait.kind, until, onDue],
    );
    const row = rows[0];
    if (!row) throw conflict("lease_lost", "This worker does not hold a live lease on a RUNNING execution with that id and token.");
    const what = wait.kind === "delay"
      ? `paused until ${wait.resumeAt.toISOString()}`
      : `waits for approval${wait.timeoutAt ? `; at ${wait.timeoutAt.toISOString()} it ${wait.onTimeout === "fail" ? "fails" : "resumes"}` : ""}`;
    await recordTransitions(tx, [{ executionId: input.executionId, orgId: row.org_id, from: "RUNNING", to: "PAUSED", holdsSlot: true, workerId: input.workerId, actor: "worker", reason: what }]);
    await rebalancePausedSlots(tx, [row.org_id], envLimits.max_paused_slots);
    const after = await tx.query<{ holds_slot: boolean }>("SELECT holds_slot FROM execution WHERE id = $1", [input.executionId]);
    // Claims waiting for work learn the new moment to wake at (and of a slot given back).
    await notifyDispatch(tx);
    return { state: "PAUSED", holdsSlot: after.rows[0]?.holds_slot ?? true, waitingFor: wait.kind, until };
  });
}

export interface ResumeResult {
  state: "QUEUED";
  /** True: it kept its slot and holds it until a worker serving its queue continues it. */
  holdsSlot: boolean;
}

/** Who resumes: a worker (early, by itself) or a person or system with org-admin rights (an approval). */
export type Resumer = { workerId: string } | { actor: string; note?: string };

export async function resumeExecution(
  db: Db,
  input: { executionId: string; orgId?: string | null; by: Resumer },
  overrides: Partial<SchedulerOptions> = {},
): Promise<ResumeResult> {
  const { envLimits } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<PausedRow & { state: string; pause_kind: string | null }>(
      "SELECT id, org_id, holds_slot, lane_id, state, pause_kind FROM execution WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2) FOR UPDATE",
      [input.executionId, input.orgId ?? null],
    );
    const row = rows[0];
    if (!row) throw notFound("Execution");
    if (row.state !== "PAUSED") throw conflict("not_paused", `Only a PAUSED execution can be resumed; this one is ${row.state}.`);
    let by: { actor: string; workerId?: string; reason: string };
    if ("workerId" in input.by) {
      // The lease names its worker without a foreign key (see the 20261130200000 migration).
      const worker = await tx.query("SELECT 1 FROM worker WHERE id = $1", [input.by.workerId]);
      if (worker.rowCount === 0) throw notFound("Worker");
      by = { actor: "worker", workerId: input.by.workerId, reason: "resumed by a worker" };
    } else {
      const verb = row.pause_kind === "approval" ? "approved" : "resumed";
      by = { actor: input.by.actor, reason: `${verb} by ${input.by.actor}${input.by.note ? ` (${input.by.note})` : ""}` };
      await recordAudit(tx, {
        orgId: row.org_id, actor: input.by.actor, action: "execution.resume", entityType: "execution", entityId: row.id, entityName: null,
        before: { state: "PAUSED", waitingFor: row.pause_kind }, after: { state: "QUEUED", note: input.by.note ?? null },
      });
    }
    await resumeRows(tx, [row], by, envLimits.max_paused_slots);
    await notifyDispatch(tx);
    return { state: "QUEUED", holdsSlot: row.holds_slot };
  });
}
