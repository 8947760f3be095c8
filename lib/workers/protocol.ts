import { z } from "zod";
import { problem } from "../api/problem";

// The worker protocol's requests (docs/api.md, "Worker protocol"); the replies are in
// lib/contract/workers.ts. A worker token may act only as workers it registered (the routes'
// ownWorker need), and only on executions of the orgs it is scoped to (the dispatch queries
// filter by lease holder and org).

export const workerId = z.uuid();

const outcome = z.strictObject({
  executionId: z.uuid(),
  leaseToken: z.number().int().min(0),
  status: z.enum(["SUCCESS", "FAILED"]),
  error: z.string().max(10_000).optional(),
  result: z.unknown().optional(),
  retryable: z.boolean().optional().describe("false: a FAILED outcome is final even with attempts left (docs/lifecycle.md)"),
});
const outcomes = z.array(outcome).max(500);
const queueNames = z.array(z.string().trim().min(1).max(120)).max(50);

export const registerBody = z.strictObject({ name: z.string().trim().min(1).max(120), queues: queueNames.default([]) });
export const claimBody = z.strictObject({
  workerId,
  limit: z.number().int().min(0).max(100).default(1),
  queues: queueNames.optional(),
  complete: outcomes.optional(),
  waitMs: z.number().int().min(0).max(30_000).default(0),
  idleRounds: z.number().int().min(0).max(1_000).default(0),
});
export const completeBody = z.strictObject({ workerId, outcomes: outcomes.min(1) });
const leases = z.array(z.strictObject({ executionId: z.uuid(), leaseToken: z.number().int().min(0) })).min(1).max(500);
export const heartbeatBody = z.strictObject({ workerId, leases });
export const releaseBody = z.strictObject({ workerId, leases, reason: z.string().trim().max(500).optional() });
export const pauseBody = z.strictObject({ workerId, executionId: z.uuid(), leaseToken: z.number().int().min(0) });
export const resumeBody = z.strictObject({ workerId, executionId: z.uuid() });

/** Exponential backoff hint for workers that found nothing: 1, 2, 4 … 30 seconds. */
export function retryAfterSeconds(idleRounds: number): number {
  return Math.min(30, 2 ** Math.max(0, Math.min(idleRounds, 5)));
}

/**
 * The reply of the batch lease calls (heartbeat, complete, release): 200 with a result per
 * execution when at least one was accepted; 409 Conflict — problem+json carrying the same
 * `results` — when none was, because the caller holds no current lease on any of them (it was
 * paused past its TTL, the executions were killed, or it reports twice). A worker reads
 * `results` either way; the status lets plain HTTP clients notice without reading them.
 */
export function leaseReply(results: readonly { ok: boolean; code?: string }[], requestId: string): Response | { results: readonly unknown[] } {
  if (results.length === 0 || results.some((r) => r.ok)) return { results };
  const code = results.every((r) => r.code === "killed") ? "killed" : "lease_lost";
  const detail = code === "killed" ? "These executions were killed; stop them." : "You hold no current lease on these executions; nothing you sent took effect.";
  return problem(409, code, detail, requestId, { results });
}
