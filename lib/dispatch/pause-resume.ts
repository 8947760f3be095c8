import { conflict, notFound } from "../core/errors";
import { rebalancePausedSlots } from "./sql/leases";
import { adjustLanes, recordTransitions } from "./sql/transitions";
import { type Db } from "../db/transaction";
import { LEASE_NOW, notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";

// Pause and resume. A paused execution keeps its slot unless it is among the org's first
// max_paused_slots paused executions (sql/leases.ts rebalancePausedSlots). Resuming one that
// still holds its slot continues it at once, leased to the resuming worker; resuming one
// that gave its slot back queues it ahead of new work, so it passes every cap again.

export async function pauseExecution(db: Db, input: { executionId: string; leaseToken: number; workerId: string }, overrides: Partial<SchedulerOptions> = {}) {
  const { envLimits } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ org_id: string }>(
      `UPDATE execution SET state = 'PAUSED', paused_at = clock_timestamp(), lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND lease_worker_id = $3 AND state = 'RUNNING' AND lease_expires_at >= ${LEASE_NOW}
       RETURNING org_id`,
      [input.executionId, input.leaseToken, input.workerId],
    );
    const row = rows[0];
    if (!row) throw conflict("lease_lost", "This worker does not hold a live lease on a RUNNING execution with that id and token.");
    await recordTransitions(tx, [{ executionId: input.executionId, orgId: row.org_id, from: "RUNNING", to: "PAUSED", holdsSlot: true, workerId: input.workerId, actor: "worker" }]);
    await rebalancePausedSlots(tx, [row.org_id], envLimits.max_paused_slots);
    const after = await tx.query<{ holds_slot: boolean }>("SELECT holds_slot FROM execution WHERE id = $1", [input.executionId]);
    const holdsSlot = after.rows[0]?.holds_slot ?? true;
    if (!holdsSlot) await notifyDispatch(tx);
    return { state: "PAUSED" as const, holdsSlot };
  });
}

export type ResumeResult =
  | { state: "RUNNING"; leaseToken: number; leaseExpiresAt: Date }
  | { state: "QUEUED" };

export async function resumeExecution(db: Db, input: { executionId: string; workerId: string; orgId?: string | null }, overrides: Partial<SchedulerOptions> = {}): Promise<ResumeResult> {
  const { envLimits, leaseTtlMs } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ org_id: string; holds_slot: boolean; lane_id: number | null; state: string }>(
      "SELECT org_id, holds_slot, lane_id, state FROM execution WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2) FOR UPDATE",
      [input.executionId, input.orgId ?? null],
    );
    const row = rows[0];
    if (!row) throw notFound("Execution");
    if (row.state !== "PAUSED") throw conflict("not_paused", `Only a PAUSED execution can be resumed; this one is ${row.state}.`);
    // The lease names its worker without a foreign key (see the 20261130200000 migration).
    const worker = await tx.query("SELECT 1 FROM worker WHERE id = $1", [input.workerId]);
    if (worker.rowCount === 0) throw notFound("Worker");

    let result: ResumeResult;
    if (row.holds_slot) {
      const running = await tx.query<{ lease_token: number; lease_expires_at: Date }>(
        `UPDATE execution SET state = 'RUNNING', paused_at = NULL, lease_worker_id = $2, lease_token = lease_token + 1,
                lease_expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now(), updated_at = now()
          WHERE id = $1 RETURNING lease_token, lease_expires_at`,
        [input.executionId, input.workerId, leaseTtlMs],
      );
      const lease = running.rows[0]!;
      result = { state: "RUNNING", leaseToken: lease.lease_token, leaseExpiresAt: lease.lease_expires_at };
    } else {
      await tx.query(
        `UPDATE execution SET state = 'QUEUED', resume_first = true, paused_at = NULL, lease_worker_id = NULL, updated_at = now()
          WHERE id = $1`,
        [input.executionId],
      );
      await adjustLanes(tx, [row.lane_id], 1);
      result = { state: "QUEUED" };
    }
    await recordTransitions(tx, [{
      executionId: input.executionId, orgId: row.org_id, from: "PAUSED", to: result.state, holdsSlot: result.state === "RUNNING",
      workerId: input.workerId, actor: "worker", reason: result.state === "QUEUED" ? "resumed: waits for a slot ahead of new work" : "resumed in its held slot",
    }]);
    await rebalancePausedSlots(tx, [row.org_id], envLimits.max_paused_slots);
    await notifyDispatch(tx);
    return result;
  });
}
