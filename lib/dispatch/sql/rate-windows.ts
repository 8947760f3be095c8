import { pool } from "../../db/client";
import type { Db, Tx } from "../../db/transaction";
import { scopeKey } from "../policy/scopes";

// What a rate window holds right now, for explain, the pages and the API (docs/limits.md):
// starts inside it, and — when they are as many as the limit allows — when the next start is
// allowed: the moment the (starts − limit + 1)th oldest start leaves the window.

export interface RateWindow {
  starts: number;
  nextStartAt: Date | null;
}

/** The window of each scope with its limit (scope → limit); a scope without starts has an empty one. */
export async function rateWindows(db: Db | Tx, limits: ReadonlyMap<string, number>): Promise<Map<string, RateWindow>> {
  const windows = new Map<string, RateWindow>([...limits.keys()].map((scope) => [scope, { starts: 0, nextStartAt: null }]));
  if (limits.size === 0) return windows;
  const { rows } = await db.query<{ scope: string; n: number; next: Date | null }>(
    `SELECT s.scope, count(*)::int AS n,
            CASE WHEN count(*) >= s.lim THEN (array_agg(r.expires_at ORDER BY r.expires_at))[count(*)::int - s.lim + 1] END AS next
       FROM unnest($1::text[], $2::int[]) AS s(scope, lim)
       JOIN rate_start r ON r.scope = s.scope AND r.expires_at > now()
      GROUP BY s.scope, s.lim`,
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
