import { z } from "zod";
import type { Db } from "../db/transaction";
import { scopeKey } from "../dispatch/policy/scopes";
import { getKeyRule } from "./rules";
import { rateWindows } from "../dispatch/sql/rate-windows";
import type { PrismaClient } from "../db/client";

// The keys of one rule as an operator reads them (docs/limits.md, "The keys view"): each key
// with work running, queued or scheduled, with its limit and its rate window, the busiest
// first or in the order asked for. Counted from the rows that hold a slot (bounded by
// capacity), the lanes with queued work and the scheduled executions — never the backlog.

export const keysQuery = z.strictObject({
  search: z.string().max(200).optional().describe("keys containing this text"),
  sort: z.enum(["running", "queued", "key"]).default("running"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

interface KeyRow {
  key: string;
  running: number;
  queued: number;
  scheduled: number;
  total: number;
}

const ORDER: Record<z.infer<typeof keysQuery>["sort"], string> = {
  running: "running DESC, queued DESC, key",
  queued: "queued DESC, running DESC, key",
  key: "key",
};

export async function keysOfRule(prisma: PrismaClient, db: Db, orgId: string, ruleId: string, query: z.infer<typeof keysQuery>) {
  const rule = await getKeyRule(prisma, orgId, ruleId);
  const { rows } = await db.query<KeyRow>(
    `WITH queued AS (
       SELECT l.key_values[array_position(l.key_rule_ids, $2::uuid)] AS key, sum(l.queued)::int AS n
         FROM dispatch_lane l WHERE l.org_id = $1 AND l.queued > 0 AND $2::uuid = ANY(l.key_rule_ids) GROUP BY 1),
     running AS (
       SELECT e.key_values[array_position(e.key_rule_ids, $2::uuid)] AS key, count(*)::int AS n
         FROM execution e WHERE e.holds_slot AND e.org_id = $1 AND $2::uuid = ANY(e.key_rule_ids) GROUP BY 1),
     scheduled AS (
       SELECT e.key_values[array_position(e.key_rule_ids, $2::uuid)] AS key, count(*)::int AS n
         FROM execution e WHERE e.waiting_lane_id IS NOT NULL AND e.org_id = $1 AND $2::uuid = ANY(e.key_rule_ids) GROUP BY 1),
     keys AS (
       SELECT key, coalesce(r.n, 0) AS running, coalesce(q.n, 0) AS queued, coalesce(s.n, 0) AS scheduled
         FROM queued q FULL JOIN running r USING (key) FULL JOIN scheduled s USING (key)
        WHERE $3::text IS NULL OR strpos(lower(key), lower($3)) > 0)
     SELECT key, running, queued, scheduled, count(*) OVER ()::int AS total FROM keys ORDER BY ${ORDER[query.sort]} LIMIT $4`,
    [orgId, ruleId, query.search || null, query.limit],
  );
  const keys = rows.map((r) => r.key);
  const rate = rule.rateLimit;
  const [overrides, windows] = await Promise.all([
    db.query<{ key_value: string; limit: number }>('SELECT key_value, "limit" FROM concurrency_key_override WHERE rule_id = $1 AND key_value = ANY($2)', [ruleId, keys]),
    rateWindows(db, new Map(rate ? keys.map((k) => [scopeKey.keyRate(ruleId, k), rate.limit]) : [])),
  ]);
  const overrideOf = new Map(overrides.rows.map((o) => [o.key_value, o.limit]));
  return {
    ruleId,
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => {
      const own = overrideOf.get(r.key);
      const window = windows.get(scopeKey.keyRate(ruleId, r.key));
      return {
        key: r.key, running: r.running, queued: r.queued, scheduled: r.scheduled,
        limit: own ?? rule.limit, overridden: own !== undefined,
        rate: rate && window ? { limit: rate.limit, periodMs: rate.periodMs, ...window } : null,
      };
    }),
  };
}
