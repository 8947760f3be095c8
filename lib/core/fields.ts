import { z } from "zod";

// Field rules shared by the request schemas of the org configuration (projects, pools,
// queues, flows, triggers).

export const name = z.string().trim().min(1).max(120);
export const limit = z.number().int().min(0).max(1_000_000);
export const positiveLimit = z.number().int().min(1).max(1_000_000);
export const id = z.uuid();

/** The longest rate window (docs/limits.md): a week. */
export const MAX_RATE_PERIOD_MS = 7 * 24 * 3_600_000;

/** At most `limit` starts in any window of `periodMs`; null removes the rate limit. */
export const rateLimit = z
  .strictObject({
    limit: positiveLimit,
    periodMs: z.number().int().min(10, "must be at least 10 ms").max(MAX_RATE_PERIOD_MS, "must be at most a week (604800000 ms)"),
  })
  .nullable();

/** The two columns a rate limit is stored in, for a write (undefined: leave them). */
export function rateColumns(rate: z.infer<typeof rateLimit> | undefined): { rateLimit?: number | null; ratePeriodMs?: number | null } {
  if (rate === undefined) return {};
  return { rateLimit: rate?.limit ?? null, ratePeriodMs: rate?.periodMs ?? null };
}

/** A stored rate limit as the API shows it. */
export function rateView(row: { rateLimit: number | null; ratePeriodMs: number | null }): { limit: number; periodMs: number } | null {
  return row.rateLimit !== null && row.ratePeriodMs !== null ? { limit: row.rateLimit, periodMs: row.ratePeriodMs } : null;
}

/**
 * Retries with backoff (docs/lifecycle.md, "Retries"): a FAILED outcome with attempts left is
 * queued again, startable `min(maxMs, initialMs × factor^(attempt − 1))` after it failed,
 * shortened by up to `jitter` of that at random. Lease expiries count toward the same attempts.
 */
export const retryPolicy = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(100).describe("attempts in all, the first included"),
    backoff: z
      .strictObject({
        initialMs: z.number().int().min(0).max(86_400_000, "must be at most a day (86400000 ms)").default(1_000),
        factor: z.number().min(1).max(10).default(2),
        maxMs: z.number().int().min(0).max(MAX_RATE_PERIOD_MS, "must be at most a week (604800000 ms)").default(600_000),
      })
      .refine((b) => b.maxMs >= b.initialMs, { path: ["maxMs"], message: "must be at least initialMs" })
      .default({ initialMs: 1_000, factor: 2, maxMs: 600_000 }),
    jitter: z.number().min(0).max(1).default(0).describe("each delay is shortened by up to this fraction of it, at random"),
  })
  .nullable();

export type RetryPolicy = NonNullable<z.infer<typeof retryPolicy>>;

/** The retry policy's columns (on flow: with retryMaxAttempts), for a write (undefined: leave them). */
export function retryColumns(retry: z.infer<typeof retryPolicy> | undefined) {
  if (retry === undefined) return {};
  return {
    retryMaxAttempts: retry?.maxAttempts ?? null,
    retryInitialMs: retry?.backoff.initialMs ?? null,
    retryFactor: retry?.backoff.factor ?? null,
    retryMaxMs: retry?.backoff.maxMs ?? null,
    retryJitter: retry?.jitter ?? null,
  };
}

/** A stored retry policy as the API shows it. */
export function retryView(row: { retryMaxAttempts: number | null; retryInitialMs: number | null; retryFactor: number | null; retryMaxMs: number | null; retryJitter: number | null }): RetryPolicy | null {
  if (row.retryMaxAttempts === null || row.retryInitialMs === null || row.retryFactor === null || row.retryMaxMs === null || row.retryJitter === null) return null;
  return { maxAttempts: row.retryMaxAttempts, backoff: { initialMs: row.retryInitialMs, factor: row.retryFactor, maxMs: row.retryMaxMs }, jitter: row.retryJitter };
}
