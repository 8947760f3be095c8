import { z } from "zod";
import { problem } from "../api/problem";
import type { PauseWait } from "../dispatch/pause-resume";

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

export const registerBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  queues: queueNames.default([]),
  concurrency: z.number().int().min(1).max(100_000).optional().describe("executions it runs at once: the workers screen and explain compare what it holds with it"),
});
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
const when = z.iso.datetime({ offset: true }).transform((t) => new Date(t));
const MAX_PAUSE_MS = 366 * 24 * 3_600_000;
/**
 * A pause waits for a delay (`resumeAt`, or `delayMs` from now) or for an approval
 * (`approval`, optionally timing out); with neither, for an approval without a timeout
 * (docs/lifecycle.md, "Pauses").
 */
export const pauseBody = z
  .strictObject({
    workerId,
    executionId: z.uuid(),
    leaseToken: z.number().int().min(0),
    resumeAt: when.optional().describe("the platform resumes it at this time"),
    delayMs: z.number().int().min(0).max(MAX_PAUSE_MS).optional().describe("… this long from now (instead of resumeAt)"),
    approval: z
      .strictObject({
        timeoutAt: when.optional().describe("no approval by then: onTimeout"),
        timeoutMs: z.number().int().min(0).max(MAX_PAUSE_MS).optional().describe("… this long from now (instead of timeoutAt)"),
        onTimeout: z.enum(["fail", "resume"]).default("fail"),
      })
      .refine((a) => a.timeoutAt === undefined || a.timeoutMs === undefined, { path: ["timeoutMs"], message: "give timeoutAt or timeoutMs, not both" })
      .optional()
      .describe("waits for an org admin's approval (POST /api/executions/{id}/resume)"),
  })
  .refine((b) => [b.resumeAt, b.delayMs, b.approval].filter((v) => v !== undefined).length <= 1, {
    path: ["approval"],
    message: "a pause is a delay (resumeAt or delayMs) or an approval, not both",
  });
export type PauseBody = z.infer<typeof pauseBody>;
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

/** What a pause request waits for, its relative times made absolute from `now`. */
export function pauseWait(body: PauseBody, now: Date): PauseWait {
  const later = (ms: number) => new Date(now.getTime() + ms);
  if (body.resumeAt !== undefined) return { kind: "delay", resumeAt: body.resumeAt };
  if (body.delayMs !== undefined) return { kind: "delay", resumeAt: later(body.delayMs) };
  const timeoutAt = body.approval?.timeoutAt ?? (body.approval?.timeoutMs !== undefined ? later(body.approval.timeoutMs) : null);
  return { kind: "approval", timeoutAt, onTimeout: body.approval?.onTimeout ?? "fail" };
}
