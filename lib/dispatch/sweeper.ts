import { expireLeases } from "./sql/leases";
import { sweepLeftovers } from "./sql/housekeeping";
import { promoteScheduled } from "./sql/scheduled";
import { wakeDuePauses } from "./sql/pauses";
import { schedulerOptions } from "./options";
import { type Db } from "../db/transaction";
import { notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { recordSamples } from "../samples/record-samples";

// Background duties of every app instance: expire leases, move due scheduled executions
// into their lanes and act on due pauses (sql/pauses.ts) even when no worker is claiming, take concurrency samples, and clear what is
// over (passed rate windows, expired idempotency keys, empty lanes). Every instance runs it; the database locks make that safe.
// Each sweep is a dispatch transaction, so it is also the platform's heartbeat while no
// worker claims (docs/leases.md): every instance beats twice a second, which costs one
// uncontended lock and a commit.

export const SWEEP_EVERY_MS = 500;

export const LEFTOVERS_EVERY_MS = 30_000;

export async function sweepOnce(db: Db): Promise<{ expired: number; promoted: number; pauses: number }> {
  const { envLimits } = schedulerOptions();
  return withDispatchTransaction(db, async (tx) => {
    const expired = await expireLeases(tx);
    const promoted = await promoteScheduled(tx);
    const pauses = await wakeDuePauses(tx, envLimits.max_paused_slots);
    if (expired + promoted + pauses > 0) await notifyDispatch(tx);
    return { expired, promoted, pauses };
  });
}

export function startSweeper(db: Db, options: { leaseEveryMs?: number; sampleEveryMs?: number; leftoversEveryMs?: number; onError?: (error: unknown) => void } = {}): () => void {
  const onError = options.onError ?? (() => undefined);
  const leases = setInterval(() => void sweepOnce(db).catch(onError), options.leaseEveryMs ?? SWEEP_EVERY_MS);
  const sampleEveryMs = options.sampleEveryMs ?? 5_000;
  // Another process that sampled less than most of an interval ago counts for this one.
  const samples = setInterval(() => void recordSamples(db, new Date(), sampleEveryMs * 0.8).catch(onError), sampleEveryMs);
  const leftovers = setInterval(() => void sweepLeftovers(db).catch(onError), options.leftoversEveryMs ?? LEFTOVERS_EVERY_MS);
  leases.unref();
  samples.unref();
  leftovers.unref();
  return () => {
    clearInterval(leases);
    clearInterval(samples);
    clearInterval(leftovers);
  };
}
