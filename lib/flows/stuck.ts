// When a RUNNING execution counts as stuck: its worker has not heartbeated for more than half
// the lease. By then a healthy worker (heartbeating every few seconds, well under the lease)
// has missed several beats, and the lease has not yet expired, so this is the window in which
// a person can still kill it before the sweeper requeues it on its own. Pure, so the server
// and the browser (whose clock ticks between refreshes) decide it the same way.

export function stuckAfterMs(leaseTtlMs: number): number {
  return Math.floor(leaseTtlMs / 2);
}

export function isStuck(execution: { state: string; heartbeatAt: Date | string | null }, nowMs: number, thresholdMs: number): boolean {
  if (execution.state !== "RUNNING") return false;
  if (execution.heartbeatAt === null) return true;
  return nowMs - new Date(execution.heartbeatAt).getTime() > thresholdMs;
}
