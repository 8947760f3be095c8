import { waitingSinceSql } from "../executions/waiting-since";
import type { Db, Tx } from "../db/transaction";
import { WORKER_LIVENESS_SECONDS } from "./registry";

// The workers and queues of an org, as the console's Workers tab and explain see them
// (docs/operations.md, "Workers and queues"): who serves which queue, what each holds against
// the concurrency it declared, when it last asked for work, and per queue what waits and for
// how long. Workers of every org (a platform token's) serve this org too.

export interface WorkerRow {
  id: string;
  name: string;
  /** null: it serves every org. */
  orgId: string | null;
  /** Empty: every queue. */
  queues: string[];
  concurrency: number | null;
  /** Executions of this org it holds now (RUNNING under its lease). */
  holding: number;
  /** Executions of every org it holds (a platform worker serves several). */
  holdingAll: number;
  lastSeenAt: Date;
  lastClaimAt: Date | null;
  live: boolean;
  /** Its leases that ran out in the last 24 hours (executions of this org). */
  leaseExpiries24h: number;
}

export interface QueueRow {
  id: string;
  name: string;
  priority: number;
  concurrency: number;
  queued: number;
  running: number;
  /** When the longest-waiting of its lanes' next executions was submitted (scheduled ones aside). */
  oldestQueuedAt: Date | null;
  /** Live workers that serve it. */
  workers: string[];
}

/** Workers that served the org within the last day, live ones first. */
export async function orgWorkers(db: Db | Tx, orgId: string): Promise<WorkerRow[]> {
  const { rows } = await db.query<{
    id: string; name: string; org_id: string | null; queues: string[]; concurrency: number | null; holding: number; holding_all: number;
    last_seen_at: Date; last_claim_at: Date | null; live: boolean; expiries: number;
  }>(
    `WITH held AS (
       SELECT lease_worker_id AS id, count(*) FILTER (WHERE org_id = $1)::int AS holding, count(*)::int AS holding_all
         FROM execution WHERE state = 'RUNNING' AND lease_worker_id IS NOT NULL GROUP BY 1),
     expiries AS (
       SELECT worker_id AS id, count(*)::int AS n
         FROM (SELECT worker_id, reason, at FROM execution_transition WHERE org_id = $1 ORDER BY id DESC LIMIT 50000) recent
        WHERE at > now() - interval '24 hours' AND reason LIKE 'lease expired%' GROUP BY 1)
     SELECT w.id, w.name, w.org_id, w.queues, w.concurrency, coalesce(h.holding, 0) AS holding, coalesce(h.holding_all, 0) AS holding_all,
            w.last_seen_at, w.last_claim_at, w.last_seen_at > now() - $2 * interval '1 second' AS live, coalesce(x.n, 0) AS expiries
       FROM worker w LEFT JOIN held h ON h.id = w.id LEFT JOIN expiries x ON x.id = w.id
      WHERE (w.org_id IS NULL OR w.org_id = $1) AND w.last_seen_at > now() - interval '24 hours'
      ORDER BY live DESC, w.last_seen_at DESC
      LIMIT 500`,
    [orgId, WORKER_LIVENESS_SECONDS],
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, orgId: r.org_id, queues: r.queues, concurrency: r.concurrency, holding: r.holding, holdingAll: r.holding_all,
    lastSeenAt: r.last_seen_at, lastClaimAt: r.last_claim_at, live: r.live, leaseExpiries24h: r.expiries,
  }));
}

/** Every queue of the org with what waits and runs in it, and the live workers serving it. */
export async function orgQueues(db: Db | Tx, orgId: string, workers: readonly WorkerRow[]): Promise<QueueRow[]> {
  const { rows } = await db.query<{ id: string; name: string; priority: number; concurrency: number; queued: number; running: number; oldest: Date | null }>(
    // Counted from the lanes' counters and the in-flight index, not by reading the backlog; the
    // oldest wait is that of the lanes' next executions (a lane's head, by its index's order),
    // counted from when each became startable, as the queue-age alert counts it.
    `SELECT q.id, q.name, q.priority, q.concurrency,
            (SELECT coalesce(sum(l.queued), 0)::int FROM dispatch_lane l WHERE l.queue_id = q.id) AS queued,
            (SELECT count(*)::int FROM execution e WHERE e.org_id = $1 AND e.holds_slot AND e.state = 'RUNNING' AND e.queue_id = q.id) AS running,
            (SELECT min(h.since) FROM dispatch_lane l
               CROSS JOIN LATERAL (SELECT ${waitingSinceSql("e")} AS since FROM execution e WHERE e.lane_id = l.id AND e.state = 'QUEUED' ORDER BY e.resume_first DESC, e.priority DESC, e.seq LIMIT 1) h
              WHERE l.queue_id = q.id AND l.queued > 0) AS oldest
       FROM queue q WHERE q.org_id = $1 ORDER BY q.priority DESC, q.name`,
    [orgId],
  );
  const live = workers.filter((w) => w.live);
  return rows.map((q) => ({
    id: q.id, name: q.name, priority: q.priority, concurrency: q.concurrency, queued: q.queued, running: q.running, oldestQueuedAt: q.oldest,
    workers: live.filter((w) => w.queues.length === 0 || w.queues.includes(q.name)).map((w) => w.name),
  }));
}
