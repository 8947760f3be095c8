import { expireLeases } from "./sql/leases";
import { lockDispatch, notifyDispatch, withTransaction, type Db } from "./sql/tx";
import { recordSamples } from "./samples";

/**
 * Background duties of every app instance: expire leases even when no worker is claiming,
 * and take concurrency samples. Every instance runs it; the database locks make that safe.
 */
export async function sweepOnce(db: Db): Promise<{ expired: number }> {
  const expired = await withTransaction(db, async (tx) => {
    // Cheap check first, so idle instances do not queue up on the dispatch lock.
    const due = await tx.query("SELECT 1 FROM execution WHERE state = 'RUNNING' AND lease_expires_at < now() LIMIT 1");
    if ((due.rowCount ?? 0) === 0) return 0;
    await lockDispatch(tx);
    const n = await expireLeases(tx);
    if (n > 0) await notifyDispatch(tx);
    return n;
  });
  return { expired };
}

export function startSweeper(db: Db, options: { leaseEveryMs?: number; sampleEveryMs?: number; onError?: (error: unknown) => void } = {}): () => void {
  const onError = options.onError ?? (() => undefined);
  const leases = setInterval(() => void sweepOnce(db).catch(onError), options.leaseEveryMs ?? 1_000);
  const sampleEveryMs = options.sampleEveryMs ?? 5_000;
  // Another process that sampled less than most of an interval ago counts for this one.
  const samples = setInterval(() => void recordSamples(db, new Date(), sampleEveryMs * 0.8).catch(onError), sampleEveryMs);
  leases.unref();
  samples.unref();
  return () => {
    clearInterval(leases);
    clearInterval(samples);
  };
}
