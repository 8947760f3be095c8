import { decideRelease, releaseReason, type HeldExecution, type ReleaseRequest } from "./policy/release";
import { adjustLanes, recordTransitions } from "./sql/transitions";
import { type Db } from "../db/transaction";
import { LEASE_NOW, notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { touchWorker } from "../workers/registry";

// Release: the worker hands executions back (see release.ts for the rules). The slot is
// freed in the same transaction and waiting claimers are woken, so the work is picked up
// again at once instead of after a lease expiry.
//
// Locks: the dispatch lock first, then the execution rows — the order kills, lease expiry
// and claims take them in, so a release cannot deadlock with any of them. Releasing only
// lowers in-flight counts, so the lock is not needed for safety; taking it keeps the queued
// counters' row locks in one order and costs nothing on a path this rare (shutdowns).

export type ReleaseResult =
  | { executionId: string; ok: true; state: "QUEUED" }
  | { executionId: string; ok: false; code: "not_found" | "killed" | "lease_lost"; state: string | null };

export interface ReleaseInput {
  workerId: string;
  /** The org the worker is scoped to (null = every org): others' executions are not_found. */
  orgId?: string | null;
  leases: readonly ReleaseRequest[];
  reason?: string | null;
}

export async function releaseExecutions(db: Db, input: ReleaseInput): Promise<ReleaseResult[]> {
  if (input.leases.length === 0) return [];
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<{
      id: string; org_id: string; lane_id: number | null; state: string; lease_worker_id: string | null; lease_token: number; lease_live: boolean; attempts: number;
    }>(
      `SELECT id, org_id, lane_id, state, lease_worker_id, lease_token, COALESCE(lease_expires_at >= ${LEASE_NOW}, false) AS lease_live, attempts
         FROM execution WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR org_id = $2)
        ORDER BY id FOR UPDATE`,
      [input.leases.map((l) => l.executionId), input.orgId ?? null],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const released: { id: string; orgId: string; laneId: number | null; attempts: number }[] = [];
    const results = input.leases.map((lease): ReleaseResult => {
      const row = byId.get(lease.executionId);
      const held: HeldExecution | undefined = row && {
        id: row.id, state: row.state, leaseWorkerId: row.lease_worker_id, leaseToken: row.lease_token, leaseLive: row.lease_live, attempts: row.attempts,
      };
      const decision = decideRelease(held, lease, input.workerId);
      if (!decision.release) return { executionId: lease.executionId, ok: false, code: decision.code, state: decision.state };
      // The same execution listed twice is released once; the repeat sees it queued.
      row!.state = "QUEUED";
      row!.lease_worker_id = null;
      released.push({ id: row!.id, orgId: row!.org_id, laneId: row!.lane_id, attempts: decision.attempts });
      return { executionId: lease.executionId, ok: true, state: "QUEUED" };
    });
    if (released.length > 0) {
      await tx.query(
        `UPDATE execution e SET state = 'QUEUED', holds_slot = false, attempts = r.attempts,
                lease_worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS r(id, attempts)
          WHERE e.id = r.id`,
        [released.map((r) => r.id), released.map((r) => r.attempts)],
      );
      await adjustLanes(tx, released.map((r) => r.laneId), 1);
      const reason = releaseReason(input.reason);
      await recordTransitions(
        tx,
        released.map((r) => ({ executionId: r.id, orgId: r.orgId, from: "RUNNING", to: "QUEUED", holdsSlot: false, reason, actor: "worker", workerId: input.workerId })),
      );
      await notifyDispatch(tx);
    }
    await touchWorker(tx, input.workerId);
    return results;
  });
}
