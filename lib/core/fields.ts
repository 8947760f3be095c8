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
