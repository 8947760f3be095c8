import { expireLeases } from "./sql/leases";
import { type Db } from "../db/transaction";
import { notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { recordSamples } from "../samples/record-samples";

// Background duties of every app instance: expire leases even when no worker is claiming,
// and take concurrency samples. Every instance runs it; the database locks make that safe.
// Each sweep is a dispatch transaction, so it is also the platform's heartbeat while no
// worker claims (docs/leases.md): every instance beats twice a second, which costs one
// uncontended lock and a commit.

export const SWEEP_EVERY_MS = 500;

export async function sweepOnce(db: Db): Promise<{ expired: number }> {
  const expired = await withDispatchTransaction(db, async (tx) => {
    const n = await expireLeases(tx);
    if (n > 0) await notifyDispatch(tx);
    return n;
  });
  return { expired };
}

export function startSweeper(db: Db, options: { leaseEveryMs?: number; sampleEveryMs?: number; onError?: (error: unknown) => void } = {}): () => void {
  const onError = options.onError ?? (() => undefined);
  const leases = setInterval(() => void sweepOnce(db).catch(onError), options.leaseEveryMs ?? SWEEP_EVERY_MS);
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
