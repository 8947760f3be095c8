import { pool } from "../../db/client";
import type { Db, Tx } from "../../db/transaction";
import { scopeKey } from "../policy/scopes";

// What a rate window holds right now, for explain, the pages and the API (docs/limits.md):
// starts inside it, and — when they are as many as the limit allows — when the next start is
// allowed: the moment the (starts − limit + 1)th oldest start leaves the window.

/**
 * The starts of every charge still inside their windows, a row per charge and scope: `id` (the
 * charge's, in claim order), `scope`, `n` (starts) and `expires_at` (when they leave the window).
 * Claims charge once per transaction (docs/dispatch.md, "Rate windows").
 */
export const CHARGED_STARTS = `(SELECT c.id, u.scope, u.n, u.expires_at
     FROM rate_charge c CROSS JOIN LATERAL unnest(c.scopes, c.starts, c.expiries) AS u(scope, n, expires_at)
    WHERE c.expires_at > now() AND u.expires_at > now())`;

export interface RateWindow {
  starts: number;
  nextStartAt: Date | null;
}

/** The window of each scope with its limit (scope → limit); a scope without starts has an empty one. */
export async function rateWindows(db: Db | Tx, limits: ReadonlyMap<string, number>): Promise<Map<string, RateWindow>> {
  const windows = new Map<string, RateWindow>([...limits.keys()].map((scope) => [scope, { starts: 0, nextStartAt: null }]));
  if (limits.size === 0) return windows;
  const { rows } = await db.query<{ scope: string; n: number; next: Date | null }>(
    `WITH w AS (
       SELECT s.scope, s.lim, r.expires_at,
              sum(r.n) OVER (PARTITION BY s.scope ORDER BY r.expires_at, r.id) AS upto,
              sum(r.n) OVER (PARTITION BY s.scope) AS total
         FROM unnest($1::text[], $2::int[]) AS s(scope, lim)
         JOIN ${CHARGED_STARTS} r ON r.scope = s.scope)
     SELECT scope, max(total)::int AS n, min(expires_at) FILTER (WHERE total >= lim AND upto >= total - lim + 1) AS next
       FROM w GROUP BY scope`,
    [[...limits.keys()], [...limits.values()]],
  );
  for (const r of rows) windows.set(r.scope, { starts: r.n, nextStartAt: r.next });
  return windows;
}

/** Rows (flows, queues) with their rate window now beside their rate limit (read outside any transaction of theirs). */
export async function withRateWindows<T extends { id: string; rateLimit: { limit: number } | null }>(rows: readonly T[], of: "flow" | "queue"): Promise<(T & { rateWindow: RateWindow | null })[]> {
  const limits = new Map(rows.flatMap((r) => (r.rateLimit ? [[scopeKey.rate(of, r.id), r.rateLimit.limit] as const] : [])));
  const windows = await rateWindows(pool(), limits);
  return rows.map((r) => ({ ...r, rateWindow: windows.get(scopeKey.rate(of, r.id)) ?? null }));
}
