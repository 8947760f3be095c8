import { claimInTx, type ClaimedExecution } from "./sql/claim";
import { completeInTx, type Outcome, type OutcomeResult } from "./sql/complete";
import { laneCacheFor } from "./sql/lane-cache";
import { DISPATCH_BEGIN, notifyDispatch, withTransaction, type Db } from "./sql/tx";
import { schedulerOptions, type SchedulerOptions } from "./options";
import { touchWorker } from "./workers";

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
}

export async function claimExecutions(db: Db, request: ClaimRequest, overrides: Partial<SchedulerOptions> = {}): Promise<ClaimResult> {
  const options = schedulerOptions(overrides);
  const laneCache = laneCacheFor(db);
  // Lock first (DISPATCH_BEGIN takes it with BEGIN, one round trip): completing first would
  // hold row locks while waiting for the dispatch lock, whose holder (a kill, an expiry) may
  // be waiting for those rows — a deadlock that stalls every dispatch for deadlock_timeout.
  return withTransaction(db, async (tx) => {
    const completed = await completeInTx(tx, request.workerId, request.complete ?? []);
    const { claimed, expired } = await claimInTx(tx, {
      workerId: request.workerId,
      limit: request.limit,
      queues: request.queues ?? null,
      orgId: request.orgId ?? null,
      leaseTtlMs: options.leaseTtlMs,
      envLimits: options.envLimits,
      laneCache,
    });
    await touchWorker(tx, request.workerId);
    // Slots freed here that this claim did not refill: wake the other claimers.
    const freed = expired + completed.filter((c) => c.ok).length;
    if (freed > claimed.length) await notifyDispatch(tx);
    return { claimed, completed };
  }, { begin: DISPATCH_BEGIN });
}

export async function completeExecutions(db: Db, workerId: string, outcomes: readonly Outcome[]): Promise<OutcomeResult[]> {
  return withTransaction(db, async (tx) => {
    const results = await completeInTx(tx, workerId, outcomes);
    if (results.some((r) => r.ok)) await notifyDispatch(tx);
    return results;
  });
}
