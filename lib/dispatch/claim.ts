import { claimInTx, type ClaimedExecution } from "./sql/claim";
import { completeInTx, type Outcome, type OutcomeResult } from "./sql/complete";
import { dispatchCacheFor } from "./sql/dispatch-cache";
import { withTransaction, type Db } from "../db/transaction";
import { isDispatchBusy, notifyDispatch, withDispatchTransaction } from "./sql/transaction";
import { isDatabaseUnavailable } from "../db/unavailable";
import { schedulerOptions, type SchedulerOptions } from "./options";
import { touchWorker } from "../workers/registry";

export type { ClaimedExecution, Outcome, OutcomeResult };

export interface ClaimRequest {
  workerId: string;
  /** Up to this many executions. */
  limit: number;
  /** Queue names the worker serves; empty or absent = every queue. */
  queues?: readonly string[] | null;
  /** Org the worker is scoped to; null = every org. */
  orgId?: string | null;
  /** Outcomes to report first, in the same transaction (saves a round trip per batch). */
  complete?: readonly Outcome[];
}

export interface ClaimResult {
  claimed: ClaimedExecution[];
  completed: OutcomeResult[];
  /** Fewer claimed than asked: when time alone can make more startable (see claimInTx), epoch ms. */
  wakeAtMs?: number | null;
}

/**
 * Claims are coalesced per connection pool, the way Postgres coalesces commits: while one
 * dispatch transaction runs, the claims that arrive wait and then go together in the next
 * one. Dispatch is serialised by one lock anyway (see sql/transaction.ts), so a transaction per claim
 * would pay the lock, a commit and its fsync each; a batch pays them once. Each claim still
 * gets its own worker, filters, limit and options, and sees the slots taken by the claims
 * before it in the batch. If a batch fails, its claims are retried one by one, so a claim
 * only ever fails for its own reasons.
 */
export function claimExecutions(db: Db, request: ClaimRequest, overrides: Partial<SchedulerOptions> = {}): Promise<ClaimResult> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new ClaimBatcher(db)));
  return batcher.claim(request, schedulerOptions(overrides));
}

const MAX_CLAIMS_PER_TRANSACTION = 32;

interface PendingClaim {
  request: ClaimRequest;
  options: SchedulerOptions;
  resolve: (result: ClaimResult) => void;
  reject: (error: unknown) => void;
}

class ClaimBatcher {
  private waiting: PendingClaim[] = [];
  private busy = false;

  constructor(private readonly db: Db) {}

  claim(request: ClaimRequest, options: SchedulerOptions): Promise<ClaimResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, options, resolve, reject });
      if (!this.busy) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.busy = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_CLAIMS_PER_TRANSACTION);
      try {
        const results = await claimBatch(this.db, batch);
        batch.forEach((p, i) => p.resolve(results[i]!));
      } catch (error) {
        // A busy dispatch lock or an unreachable database would only make each claim wait again.
        if (batch.length === 1 || isDispatchBusy(error) || isDatabaseUnavailable(error)) for (const p of batch) p.reject(error);
        // The transaction rolled back as a whole, so running each claim again is safe.
        else for (const p of batch) await claimBatch(this.db, [p]).then(([r]) => p.resolve(r!), p.reject);
      }
    }
    this.busy = false;
  }
}

const batchers = new WeakMap<Db, ClaimBatcher>();

async function claimBatch(db: Db, batch: readonly PendingClaim[]): Promise<ClaimResult[]> {
  const cache = dispatchCacheFor(db);
  const headCache = cache.heads;
  let attempted = false;
  try {
  // Lock first (taken with BEGIN, one round trip): completing first would
  // hold row locks while waiting for the dispatch lock, whose holder (a kill, an expiry) may
  // be waiting for those rows — a deadlock that stalls every dispatch for deadlock_timeout.
  const replies = await withDispatchTransaction(db, async (tx, control) => {
    // A failed attempt may have taken in changes it then rolled back: read every lane again.
    if (attempted) cache.forgetChanges();
    attempted = true;
    headCache.begin();
    // Every outcome first, so the slots they free are there for every claim in the batch:
    // the first claim's own go in the statement that reads its snapshot, the others' before it.
    const completed: OutcomeResult[][] = [[]];
    for (const { request } of batch.slice(1)) completed.push(await completeInTx(tx, request.workerId, request.complete ?? []));
    let freed = completed.flat().filter((c) => c.ok).length;
    let committed = false;
    const results: ClaimResult[] = [];
    for (const [i, { request, options }] of batch.entries()) {
      await touchWorker(tx, request.workerId, { claiming: true });
      const { claimed, expired, completed: own, refilled, wakeAtMs } = await claimInTx(tx, {
        workerId: request.workerId,
        limit: request.limit,
        queues: request.queues ?? null,
        orgId: request.orgId ?? null,
        leaseTtlMs: options.leaseTtlMs,
        envLimits: options.envLimits,
        cache,
        complete: i === 0 ? request.complete : [],
        // The last claim's mark is the transaction's last statement: the wake-up and COMMIT go
        // right behind it (a failed notify aborts the transaction, and the commit says so).
        onMarkSent: i === batch.length - 1 ? (freedHere) => {
          if (freed + freedHere > 0) void notifyDispatch(tx).catch(() => undefined);
          control.commitEarly();
          committed = true;
        } : undefined,
      });
      if (i === 0) {
        completed[0] = own;
        freed += own.filter((c) => c.ok).length;
      }
      freed += expired - refilled;
      results.push({ claimed, completed: completed[i]!, wakeAtMs });
    }
    // Slots freed here that these claims did not refill: wake the other claimers.
    if (freed > 0 && !committed) await notifyDispatch(tx);
    return results;
  });
  // Only now: what a transaction that rolled back staged is dropped by the next begin().
  headCache.commit();
  return replies;
  } catch (error) {
    cache.forgetChanges();
    throw error;
  }
}

export async function completeExecutions(db: Db, workerId: string, outcomes: readonly Outcome[]): Promise<OutcomeResult[]> {
  return withTransaction(db, async (tx) => {
    const results = await completeInTx(tx, workerId, outcomes);
    if (results.some((r) => r.ok)) await notifyDispatch(tx);
    return results;
  });
}
