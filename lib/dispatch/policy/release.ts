// Release, as a pure decision: a worker hands an execution back instead of finishing it
// (it is shutting down, or cannot run it here). Only the current lease holder of a RUNNING
// execution whose lease is still live may do that — the same fencing as completion (worker
// id and lease token), so a stale or repeated release changes nothing.
//
// A released execution goes back to QUEUED in the lane and at the position (`seq`) it had,
// so it keeps its age in the fair order. A release is not a failed attempt: the attempt the
// claim counted is given back, so releasing never pushes an execution toward MAX_ATTEMPTS
// (only lease expiry does), and its next claim carries the same attempt number.

export interface HeldExecution {
  id: string;
  state: string;
  leaseWorkerId: string | null;
  leaseToken: number;
  /** lease_expires_at >= LEASE_NOW (lib/dispatch/sql/transaction.ts), as the database sees it. */
  leaseLive: boolean;
  attempts: number;
}

export interface ReleaseRequest {
  executionId: string;
  leaseToken: number;
}

export type ReleaseDecision =
  | { release: true; attempts: number }
  | { release: false; code: "not_found" | "killed" | "lease_lost"; state: string | null };

export function decideRelease(row: HeldExecution | undefined, request: ReleaseRequest, workerId: string): ReleaseDecision {
  if (!row) return { release: false, code: "not_found", state: null };
  const holds = row.state === "RUNNING" && row.leaseWorkerId === workerId && row.leaseToken === request.leaseToken && row.leaseLive;
  if (!holds) return { release: false, code: row.state === "KILLED" ? "killed" : "lease_lost", state: row.state };
  return { release: true, attempts: Math.max(0, row.attempts - 1) };
}

/** The history line a release leaves (execution_transition.reason). */
export function releaseReason(reason: string | null | undefined): string {
  const why = reason?.trim();
  return why ? `released by its worker: ${why}` : "released by its worker";
}
