import { expireLeases } from "./sql/leases";
import { withTransaction, type Db } from "../db/transaction";
import { LEASE_NOW, notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";
import { touchWorker } from "../workers/registry";

// Heartbeats extend the leases a worker still holds and tell it which executions it must
// stop: killed ones (`killed`), and ones whose lease it lost (`lease_lost`: it expired, or a
// newer attempt holds it now). A lease found expired here is expired on the spot.

export interface Beat {
  executionId: string;
  leaseToken: number;
}

export type BeatResult =
  | { executionId: string; ok: true; leaseExpiresAt: Date }
  | { executionId: string; ok: false; code: "killed" | "lease_lost" | "not_found"; state: string | null };

export async function heartbeatExecutions(db: Db, workerId: string, beats: readonly Beat[], overrides: Partial<SchedulerOptions> = {}): Promise<BeatResult[]> {
  if (beats.length === 0) return [];
  const { leaseTtlMs } = schedulerOptions(overrides);
  const { results, expired } = await withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string; lease_expires_at: Date }>(
      `UPDATE execution e SET lease_expires_at = now() + $3 * interval '1 millisecond', heartbeat_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS b(id, token)
        WHERE e.id = b.id AND e.lease_token = b.token AND e.lease_worker_id = $4
          AND e.state = 'RUNNING' AND e.lease_expires_at >= ${LEASE_NOW}
       RETURNING e.id, e.lease_expires_at`,
      [beats.map((b) => b.executionId), beats.map((b) => b.leaseToken), leaseTtlMs, workerId],
    );
    await touchWorker(tx, workerId);
    const extended = new Map(rows.map((r) => [r.id, r.lease_expires_at]));
    const missed = beats.filter((b) => !extended.has(b.executionId)).map((b) => b.executionId);
    const states = new Map<string, string>();
    const expired: string[] = [];
    if (missed.length > 0) {
      const found = await tx.query<{ id: string; state: string; expired: boolean }>(
        `SELECT id, state, (state = 'RUNNING' AND lease_expires_at < ${LEASE_NOW}) AS expired FROM execution WHERE id = ANY($1::uuid[])`,
        [missed],
      );
      for (const r of found.rows) {
        states.set(r.id, r.expired ? "QUEUED" : r.state);
        if (r.expired) expired.push(r.id);
      }
    }
    const results = beats.map((b): BeatResult => {
      const until = extended.get(b.executionId);
      if (until) return { executionId: b.executionId, ok: true, leaseExpiresAt: until };
      const state = states.get(b.executionId) ?? null;
      const code = state === null ? "not_found" : state === "KILLED" ? "killed" : "lease_lost";
      return { executionId: b.executionId, ok: false, code, state };
    });
    return { results, expired };
  });
  // Expire what was found expired in a transaction of its own that takes the dispatch lock
  // first: taking it after the heartbeat's row locks could deadlock with a claim or a kill.
  if (expired.length > 0) {
    await withDispatchTransaction(db, async (tx) => {
      if ((await expireLeases(tx, expired)) > 0) await notifyDispatch(tx);
    });
  }
  return results;
}
