import { coalesced } from "../db/coalesce";
import { notFound } from "../core/errors";
import { fairRanks, loadRatio } from "../dispatch/policy/fair-order";
import type { Db } from "../db/transaction";

// The fair scheduler's view of orgs (GET /api/fair-scheduler/orgs): in-flight, weight, cap,
// load ratio and, across orgs, the fair-order rank — who gets the next slot. One query for
// every org, so the list stays fast with thousands of orgs; concurrent identical reads are
// coalesced (lib/db/coalesce.ts), so a hundred dashboards polling cost about one query each time.

export interface OrgConcurrency {
  organizationId: string;
  name: string;
  currentInFlight: number;
  queued: number;
  maxConcurrency: number;
  weight: number;
  ratio: number;
  /** 1 = gets the next free slot; null when the org has nothing that could start. */
  rank: number | null;
  /** False until the org's first execution was dispatched ("No concurrency data available"). */
  hasData: boolean;
}

interface Row {
  id: string;
  name: string;
  weight: number;
  max_concurrency: number;
  has_data: boolean;
  in_flight: number;
  queued: number;
  oldest_queued: Date | null;
}

const SELECT = `
  SELECT o.id, o.name, o.weight, o.max_concurrency, o.first_dispatch_at IS NOT NULL AS has_data,
         COALESCE(f.n, 0)::int AS in_flight, COALESCE(q.n, 0)::int AS queued,
         CASE WHEN q.n > 0 THEN (SELECT min(e.created_at) FROM execution e WHERE e.org_id = o.id AND e.state = 'QUEUED') END AS oldest_queued
    FROM organization o
    LEFT JOIN (SELECT org_id, count(*) AS n FROM execution WHERE holds_slot GROUP BY org_id) f ON f.org_id = o.id
    LEFT JOIN (SELECT org_id, sum(queued) AS n FROM dispatch_lane WHERE queued > 0 GROUP BY org_id) q ON q.org_id = o.id`;

function shape(rows: Row[]): OrgConcurrency[] {
  const ranks = fairRanks(
    rows.map((r) => ({
      inFlight: r.in_flight,
      weight: r.weight,
      // An org at its own cap cannot take the next slot, whatever its ratio.
      oldestQueuedSeq: r.queued > 0 && r.oldest_queued && (r.max_concurrency === 0 || r.in_flight < r.max_concurrency) ? r.oldest_queued.getTime() : null,
    })),
  );
  return rows.map((r, i) => ({
    organizationId: r.id,
    name: r.name,
    currentInFlight: r.in_flight,
    queued: r.queued,
    maxConcurrency: r.max_concurrency,
    weight: r.weight,
    ratio: loadRatio(r.in_flight, r.weight),
    rank: ranks[i] ?? null,
    hasData: r.has_data,
  }));
}

const readers = new WeakMap<Db, { all: (key: null) => Promise<readonly OrgConcurrency[]>; one: (orgId: string) => Promise<Readonly<SingleOrgConcurrency>> }>();

function readersFor(db: Db) {
  let r = readers.get(db);
  if (!r) {
    r = {
      // Frozen: the result is shared, and lib/api/route.ts serializes a frozen result once.
      all: coalesced(async () => Object.freeze(shape((await db.query<Row>(`${SELECT} ORDER BY o.name`)).rows))),
      one: coalesced(async (orgId: string) => Object.freeze(await readOne(db, orgId))),
    };
    readers.set(db, r);
  }
  return r;
}

/** The result is shared with concurrent callers: treat it as read-only. */
export async function listOrgConcurrency(db: Db, orgIds: readonly string[] | "all" = "all"): Promise<readonly OrgConcurrency[]> {
  const all = await readersFor(db).all(null);
  return orgIds === "all" ? all : all.filter((o) => orgIds.includes(o.organizationId));
}

export interface SingleOrgConcurrency {
  organizationId: string;
  currentInFlight: number;
  maxConcurrency: number;
  weight: number;
  ratio: number;
  queued: number;
  hasData: boolean;
}

/** One org, exactly the fields the concurrency API promises (plus queued and hasData): no cross-org work. */
export function getOrgConcurrency(db: Db, orgId: string): Promise<Readonly<SingleOrgConcurrency>> {
  return readersFor(db).one(orgId);
}

async function readOne(db: Db, orgId: string): Promise<SingleOrgConcurrency> {
  const { rows } = await db.query<Row>(
    `SELECT o.id, o.name, o.weight, o.max_concurrency, o.first_dispatch_at IS NOT NULL AS has_data,
            (SELECT count(*) FROM execution e WHERE e.org_id = o.id AND e.holds_slot)::int AS in_flight,
            (SELECT COALESCE(sum(queued), 0) FROM dispatch_lane l WHERE l.org_id = o.id AND l.queued > 0)::int AS queued,
            NULL::timestamptz AS oldest_queued
       FROM organization o WHERE o.id = $1`,
    [orgId],
  );
  const r = rows[0];
  if (!r) throw notFound("Organization");
  return {
    organizationId: r.id,
    currentInFlight: r.in_flight,
    maxConcurrency: r.max_concurrency,
    weight: r.weight,
    ratio: loadRatio(r.in_flight, r.weight),
    queued: r.queued,
    hasData: r.has_data,
  };
}
