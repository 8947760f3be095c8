import { capsFor, type CapConfig, type KeyLimit, type Rate } from "../policy/caps";
import type { Head, Lane } from "../policy/fair-order";
import type { ExecutionKind, Placement } from "../policy/scopes";
import { effectiveSettings, type ParallelSettings } from "../policy/parallel-settings";
import { statement, type Tx } from "../../db/transaction";

// Lanes: executions that share every cap wait in one (docs/dispatch.md). Their configuration
// rows (every cap they are under) and their heads, in the statements that read them.

export interface PlacementRow {
  org_id: string;
  project_id: string;
  pool_id: string | null;
  flow_id: string | null;
  queue_id: string;
  kind: ExecutionKind;
  parent_id: string | null;
  root_id: string | null;
  /** Concurrency keys, index-aligned (docs/limits.md). */
  key_rule_ids: string[];
  key_values: string[];
}

export function placementOf(row: PlacementRow): Placement {
  return {
    keys: row.key_rule_ids.map((ruleId, i) => ({ ruleId, value: row.key_values[i]! })),
    orgId: row.org_id,
    projectId: row.project_id,
    poolId: row.pool_id,
    flowId: row.flow_id,
    queueId: row.queue_id,
    kind: row.kind,
    parentId: row.parent_id,
    rootId: row.root_id,
    depth: row.parent_id === null ? 0 : row.parent_id === row.root_id ? 1 : 2,
  };
}

export interface LaneRow extends PlacementRow {
  id: number;
  /** Changes with every change of `queued` (see head-cache.ts). */
  version: number;
  queue_name: string;
  global_capacity: number;
  default_project_concurrency: number;
  queued: number;
  weight: number;
  max_concurrency: number;
  jobs: number;
  workflows: number;
  access_requests: number;
  max_paused_slots: number;
  max_concurrent_jobs: number | null;
  pool_limit: number | null;
  flow_limit: number | null;
  queue_priority: number;
  queue_concurrency: number;
  parent_concurrency: number | null;
  root_concurrency: number | null;
  org_rate: Rate | null;
  flow_rate: Rate | null;
  queue_rate: Rate | null;
  /** The lane's keys under rules that still exist, with each key's limit (an override's, else the rule's). */
  key_limits: KeyLimit[];
}

const rateOf = (alias: string) =>
  `CASE WHEN ${alias}.rate_limit IS NOT NULL THEN json_build_object('limit', ${alias}.rate_limit, 'periodMs', ${alias}.rate_period_ms) END`;

export const LANE_SELECT = `
  SELECT l.id, l.version, ps.global_capacity, ps.default_project_concurrency, l.org_id, l.project_id, p.pool_id, l.flow_id, l.queue_id, l.kind, l.parent_id, l.root_id, l.queued,
         o.weight, o.max_concurrency, o.jobs, o.workflows, o.access_requests, o.max_paused_slots,
         p.max_concurrent_jobs, cp."limit" AS pool_limit, f.concurrency_limit AS flow_limit,
         q.name AS queue_name, q.priority AS queue_priority, q.concurrency AS queue_concurrency,
         pe.concurrency AS parent_concurrency, re.concurrency AS root_concurrency,
         l.key_rule_ids, l.key_values, ${rateOf("o")} AS org_rate, ${rateOf("f")} AS flow_rate, ${rateOf("q")} AS queue_rate,
         (SELECT coalesce(json_agg(json_build_object(
                   'ruleId', r.id, 'rule', r.name, 'value', k.value,
                   'of', CASE WHEN kf.name IS NOT NULL THEN 'flow ' || kf.name WHEN kq.name IS NOT NULL THEN 'queue ' || kq.name ELSE 'the organization' END,
                   'limit', coalesce(ov."limit", r."limit"),
                   'rate', ${rateOf("r")}) ORDER BY k.ord), '[]')
            FROM unnest(l.key_rule_ids, l.key_values) WITH ORDINALITY AS k(rule_id, value, ord)
            JOIN concurrency_key_rule r ON r.id = k.rule_id
            LEFT JOIN flow kf ON kf.id = r.flow_id
            LEFT JOIN queue kq ON kq.id = r.queue_id
            LEFT JOIN concurrency_key_override ov ON ov.rule_id = r.id AND ov.key_value = k.value) AS key_limits
    FROM dispatch_lane l
    JOIN organization o ON o.id = l.org_id
    JOIN project p ON p.id = l.project_id
    JOIN queue q ON q.id = l.queue_id
    LEFT JOIN concurrency_pool cp ON cp.id = p.pool_id
    LEFT JOIN flow f ON f.id = l.flow_id
    LEFT JOIN execution pe ON pe.id = l.parent_id
    LEFT JOIN execution re ON re.id = l.root_id
    CROSS JOIN platform_settings ps`;

export interface LaneFilter {
  /** Only this org's lanes (a worker scoped to one org). */
  orgId?: string | null;
  /** Only lanes of queues with these names. */
  queues?: readonly string[] | null;
}

const activeLanes = statement<LaneRow>(
  "slotwise_active_lanes",
  `${LANE_SELECT}
    WHERE l.queued > 0
      AND ($1::uuid IS NULL OR l.org_id = $1)
      AND ($2::text[] IS NULL OR q.name = ANY($2))`,
);

export async function loadActiveLanes(tx: Tx, filter: LaneFilter = {}): Promise<LaneRow[]> {
  const { rows } = await activeLanes(tx, [filter.orgId ?? null, filter.queues && filter.queues.length > 0 ? filter.queues : null]);
  return rows;
}

export function capConfigOf(row: LaneRow, limits: ParallelSettings): CapConfig {
  const settings = effectiveSettings(limits, {
    jobs: row.jobs,
    workflows: row.workflows,
    access_requests: row.access_requests,
    max_paused_slots: row.max_paused_slots,
  });
  return {
    globalCapacity: row.global_capacity,
    orgMaxConcurrency: row.max_concurrency,
    settings,
    projectLimit: row.max_concurrent_jobs ?? row.default_project_concurrency,
    poolLimit: row.pool_limit,
    flowLimit: row.flow_limit,
    queueConcurrency: row.queue_concurrency,
    parentConcurrency: row.parent_concurrency,
    grandparentConcurrency: row.root_id !== null && row.root_id !== row.parent_id ? row.root_concurrency : null,
    orgRate: row.org_rate,
    flowRate: row.flow_rate,
    queueRate: row.queue_rate,
    keyLimits: row.key_limits,
  };
}

/** A lane for the picker, without heads (they are loaded only for lanes with room). */
export function laneOf(row: LaneRow, limits: ParallelSettings): Lane {
  const placement = placementOf(row);
  return {
    laneId: row.id,
    placement,
    queuePriority: row.queue_priority,
    caps: capsFor(placement, capConfigOf(row, limits)),
    heads: [],
  };
}

const lanesById = statement<LaneRow>("slotwise_lanes_by_id", `${LANE_SELECT} WHERE l.id = ANY($1::bigint[])`);

/** Full configuration rows of these lanes (for the cache; `queued` is as of this read). */
export async function loadLanesById(tx: Tx, ids: readonly number[]): Promise<LaneRow[]> {
  return ids.length === 0 ? [] : (await lanesById(tx, [ids])).rows;
}

// The lane's version is read by the same statement, so it is the version of exactly these heads.
const laneHeads = statement<{ lane_id: number; version: number; id: string | null; seq: number; priority: number; resume_first: boolean }>(
  "slotwise_lane_heads",
  `SELECT x.lane_id, l.version, e.id, e.seq, e.priority, e.resume_first
     FROM unnest($1::bigint[], $2::int[]) AS x(lane_id, k)
     JOIN dispatch_lane l ON l.id = x.lane_id
     LEFT JOIN LATERAL (
       SELECT id, seq, priority, resume_first FROM execution
        WHERE lane_id = x.lane_id AND state = 'QUEUED' AND NOT holds_slot
        ORDER BY resume_first DESC, priority DESC, seq
        LIMIT x.k) e ON true
    ORDER BY x.lane_id, e.resume_first DESC, e.priority DESC, e.seq`,
);

/** The first `count` queued executions of each lane, in lane order, and the lane's version. */
export async function loadLaneHeads(tx: Tx, wanted: readonly { laneId: number; count: number }[]): Promise<Map<number, { version: number; heads: Head[] }>> {
  const lanes = new Map<number, { version: number; heads: Head[] }>();
  if (wanted.length === 0) return lanes;
  const { rows } = await laneHeads(tx, [wanted.map((w) => w.laneId), wanted.map((w) => w.count)]);
  for (const row of rows) {
    let lane = lanes.get(row.lane_id);
    if (!lane) lanes.set(row.lane_id, (lane = { version: row.version, heads: [] }));
    if (row.id !== null) lane.heads.push({ id: row.id, seq: row.seq, priority: row.priority, resumeFirst: row.resume_first });
  }
  return lanes;
}

