import "server-only";
import { waitingSinceSql } from "../executions/waiting-since";
import type { QueuedRow } from "../dispatch/waiting-reasons";
import type { Db } from "../db/transaction";
import type { QueueHead, RunningExecution } from "./decide-alerts";
import type { ThresholdSettings } from "./thresholds";

// What the alert rules decide over (decide-alerts.ts), read in three statements: the
// thresholds, the queues' heads, the long runs. Each takes the caller's org scope.
//
// Why lane heads: every execution of a lane shares its caps, so its head (the next one dispatch
// would start) is the one that waits longest for a reason other than its priority; reading
// heads costs one index probe per non-empty lane, not the backlog, and is what the Workers tab's
// "oldest wait" reads too. Scheduled executions (a delayed start, a debounce, a retry's backoff)
// wait outside their lane (waiting_lane_id) and paused ones are not QUEUED, so neither is ever a
// head: waiting on purpose is left out by where it waits, as dispatch itself leaves it out.
// A head's wait starts when it became startable: the latest of its submission, its start_after
// (come due) and its last transition into QUEUED (released, its lease expired, resumed).

export interface OrgThresholdRow {
  id: string;
  name: string;
  slug: string;
  own: ThresholdSettings;
}

export interface ThresholdFacts {
  now: Date;
  platform: ThresholdSettings;
  orgs: OrgThresholdRow[];
}

/** The platform's thresholds and those of the orgs in scope, with the database's clock. */
export async function loadThresholds(db: Db, scope: readonly string[] | "all"): Promise<ThresholdFacts> {
  const { rows } = await db.query<{ now: Date; p_queue: number | null; p_stuck: number | null; id: string | null; name: string | null; slug: string | null; queue: number | null; stuck: number | null }>(
    `SELECT now() AS now, s.alert_queue_age_ms AS p_queue, s.alert_stuck_run_ms AS p_stuck, o.id, o.name, o.slug, o.alert_queue_age_ms AS queue, o.alert_stuck_run_ms AS stuck
       FROM platform_settings s LEFT JOIN organization o ON ($1::uuid[] IS NULL OR o.id = ANY($1::uuid[]))
      WHERE s.id = 1 ORDER BY o.name`,
    [scope === "all" ? null : scope],
  );
  const first = rows[0]!;
  return {
    now: first.now,
    platform: { queueAgeMs: first.p_queue, stuckRunMs: first.p_stuck },
    orgs: rows.flatMap((r) => (r.id === null ? [] : [{ id: r.id, name: r.name!, slug: r.slug!, own: { queueAgeMs: r.queue, stuckRunMs: r.stuck } }])),
  };
}

/** Per org, how long a head must have waited (or a run lasted) at least to be worth reading in detail: its threshold, or 0 for every one. */
export interface OrgBound {
  orgId: string;
  minMs: number;
}

const unnestBounds = (bounds: readonly OrgBound[]) => [bounds.map((b) => b.orgId), bounds.map((b) => b.minMs)];

export interface HeadFact extends QueueHead {
  /** What waiting-reasons.ts needs to say why it waits. */
  row: QueuedRow;
}

/** The heads of the queues of these orgs submitted at least `minMs` before `now`, each with when it became startable. */
export async function loadQueueHeads(db: Db, bounds: readonly OrgBound[], now: Date): Promise<HeadFact[]> {
  if (bounds.length === 0) return [];
  const head = "e.id, e.org_id, e.queue_id, e.flow_id, e.lane_id, e.created_at, e.start_after, e.holds_slot, e.resume_first, e.attempts, e.max_attempts";
  const { rows } = await db.query<{
    id: string; org_id: string; queue_id: string; flow_id: string | null; lane_id: string | null; start_after: Date | null; holds_slot: boolean; resume_first: boolean;
    attempts: number; max_attempts: number; queue_name: string; flow_name: string | null; waiting_since: Date;
  }>(
    `WITH orgs AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS o(id, min_ms)),
     heads AS (
       SELECT h.* FROM orgs o JOIN dispatch_lane l ON l.org_id = o.id AND l.queued > 0
        CROSS JOIN LATERAL (SELECT ${head} FROM execution e WHERE e.lane_id = l.id AND e.state = 'QUEUED'
                             ORDER BY e.resume_first DESC, e.priority DESC, e.seq LIMIT 1) h
        WHERE h.created_at <= $3::timestamptz - o.min_ms * interval '1 millisecond'
       UNION
       -- Resumed in the slot it kept: not counted in its lane (claims start it first), waiting for a worker.
       SELECT ${head} FROM orgs o JOIN execution e ON e.org_id = o.id AND e.state = 'QUEUED' AND e.holds_slot
        WHERE e.created_at <= $3::timestamptz - o.min_ms * interval '1 millisecond')
     SELECT h.*, q.name AS queue_name, f.name AS flow_name, ${waitingSinceSql("h")} AS waiting_since
       FROM heads h JOIN queue q ON q.id = h.queue_id LEFT JOIN flow f ON f.id = h.flow_id`,
    [...unnestBounds(bounds), now],
  );
  return rows.map((r) => ({
    orgId: r.org_id, queueId: r.queue_id, queueName: r.queue_name, executionId: r.id, flowId: r.flow_id, flowName: r.flow_name, waitingSince: r.waiting_since,
    row: {
      id: r.id, org_id: r.org_id, lane_id: r.lane_id, queue: r.queue_name, state: "QUEUED", holds_slot: r.holds_slot, resume_first: r.resume_first,
      scheduled: false, start_after: r.start_after, attempts: r.attempts, max_attempts: r.max_attempts,
    },
  }));
}

/**
 * RUNNING executions of these orgs first started at least `minMs` before `now` (a run's first
 * start is never later than its current one, so nothing over a threshold is missed), each with
 * when its current run began.
 */
export async function loadLongRuns(db: Db, bounds: readonly OrgBound[], now: Date): Promise<RunningExecution[]> {
  if (bounds.length === 0) return [];
  const { rows } = await db.query<{
    id: string; org_id: string; queue_id: string; queue_name: string; flow_id: string | null; flow_name: string | null; worker_id: string | null; worker_name: string | null; running_since: Date;
  }>(
    `WITH orgs AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS o(id, min_ms))
     SELECT e.id, e.org_id, e.queue_id, q.name AS queue_name, e.flow_id, f.name AS flow_name, e.lease_worker_id AS worker_id, w.name AS worker_name,
            coalesce(r.at, e.started_at) AS running_since
       FROM orgs o JOIN execution e ON e.org_id = o.id AND e.state = 'RUNNING' AND e.started_at <= $3::timestamptz - o.min_ms * interval '1 millisecond'
       JOIN queue q ON q.id = e.queue_id LEFT JOIN flow f ON f.id = e.flow_id LEFT JOIN worker w ON w.id = e.lease_worker_id
       LEFT JOIN LATERAL (SELECT t.at FROM execution_transition t WHERE t.execution_id = e.id AND t.to_state = 'RUNNING' ORDER BY t.id DESC LIMIT 1) r ON true`,
    [...unnestBounds(bounds), now],
  );
  return rows.map((r) => ({
    orgId: r.org_id, queueId: r.queue_id, queueName: r.queue_name, executionId: r.id, flowId: r.flow_id, flowName: r.flow_name,
    workerId: r.worker_id, workerName: r.worker_name, runningSince: r.running_since,
  }));
}
