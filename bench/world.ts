import pg from "pg";
import { trackConnections } from "../lib/db/end-pool";
import { migrate } from "../tooling/db/migrate";
import { laneKeyWithKeys } from "../lib/dispatch/submit";
import type { ExecutionKind, KeyValue } from "../lib/dispatch/policy/scopes";

// Benchmark worlds. Configuration rows are plain inserts; the backlog is bulk-loaded with
// one INSERT … SELECT (admission is not what is measured, and a million executions through
// the per-row submit path would take longer than the benchmark itself). The loaded rows are
// exactly what submit creates: executions in lanes, and lane counters that match.

export interface LaneSpec {
  orgId: string;
  projectId: string;
  flowId: string | null;
  queueId: string;
  parentId: string | null;
  rootId: string | null;
  kind: ExecutionKind;
  depth: number;
  /** Concurrency keys (docs/limits.md): each combination is a lane of its own. */
  keys?: KeyValue[];
}

export async function createLane(db: pg.Pool, lane: LaneSpec): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO dispatch_lane (key, org_id, project_id, flow_id, queue_id, parent_id, root_id, kind, key_rule_ids, key_values)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [laneKeyWithKeys({ ...lane, keys: lane.keys ?? [] }), lane.orgId, lane.projectId, lane.flowId, lane.queueId, lane.parentId, lane.rootId, lane.kind,
     (lane.keys ?? []).map((k) => k.ruleId), (lane.keys ?? []).map((k) => k.value)],
  );
  return rows[0]!.id;
}

/** Loads `perLane[i]` queued executions into lane i, interleaved in submit order. */
export async function loadBacklog(db: pg.Pool, lanes: { id: number; spec: LaneSpec }[], perLane: number[], chunk = 200_000): Promise<void> {
  const total = perLane.reduce((a, b) => a + b, 0);
  // Expand lane indexes so submit order (seq) interleaves lanes the way real traffic would.
  const order: number[] = [];
  const remaining = [...perLane];
  while (order.length < total) {
    for (let i = 0; i < remaining.length; i++) {
      if (remaining[i]! > 0) {
        order.push(i);
        remaining[i]!--;
      }
    }
  }
  for (let start = 0; start < order.length; start += chunk) {
    const slice = order.slice(start, start + chunk);
    await db.query(
      `INSERT INTO execution (org_id, project_id, flow_id, queue_id, parent_id, root_id, depth, kind, lane_id, priority)
       SELECT l.org_id, l.project_id, l.flow_id, l.queue_id, l.parent_id, l.root_id, l.depth, l.kind, l.id, 0
         FROM unnest($1::int[]) WITH ORDINALITY AS o(lane_index, n)
         JOIN (SELECT * FROM unnest($2::bigint[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[], $9::int[], $10::execution_kind[])
                 WITH ORDINALITY AS x(id, org_id, project_id, flow_id, queue_id, parent_id, root_id, depth, kind, i)) l
           ON l.i = o.lane_index + 1
        ORDER BY o.n`,
      [
        slice,
        lanes.map((l) => l.id),
        lanes.map((l) => l.spec.orgId),
        lanes.map((l) => l.spec.projectId),
        lanes.map((l) => l.spec.flowId),
        lanes.map((l) => l.spec.queueId),
        lanes.map((l) => l.spec.parentId),
        lanes.map((l) => l.spec.rootId),
        lanes.map((l) => l.spec.depth),
        lanes.map((l) => l.spec.kind),
      ],
    );
  }
  await db.query(
    `UPDATE dispatch_lane l SET queued = c.n FROM (SELECT lane_id, count(*)::int AS n FROM execution WHERE state = 'QUEUED' GROUP BY lane_id) c WHERE l.id = c.lane_id`,
  );
  // An execution carries its lane's keys.
  await db.query(
    `UPDATE execution e SET key_rule_ids = l.key_rule_ids, key_values = l.key_values
       FROM dispatch_lane l WHERE e.lane_id = l.id AND cardinality(l.key_rule_ids) > 0`,
  );
  // Measure dispatch, not the aftermath of a bulk load: set hint bits and the visibility map
  // now and flush the load's dirty pages, so no checkpoint or first-read page writes land in
  // the timed part (equally for every backlog size).
  await db.query("VACUUM (ANALYZE) execution, dispatch_lane");
  await db.query("CHECKPOINT").catch(() => undefined); // needs superuser or pg_checkpoint
}

export async function insertOrg(db: pg.Pool, name: string, o: { weight: number; maxConcurrency?: number; jobs?: number; workflows?: number; accessRequests?: number }): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO organization (name, slug, weight, max_concurrency, jobs, workflows, access_requests)
     VALUES ($1, $1, $2, $3, $4, $5, $6) RETURNING id`,
    [name, o.weight, o.maxConcurrency ?? 0, o.jobs ?? 100, o.workflows ?? 100, o.accessRequests ?? 100],
  );
  return rows[0]!.id;
}

export async function insertRow(db: pg.Pool, sql: string, params: unknown[]): Promise<string> {
  return (await db.query<{ id: string }>(`${sql} RETURNING id`, params)).rows[0]!.id;
}

export async function freshDb(url: string): Promise<pg.Pool> {
  await migrate(url);
  return trackConnections(new pg.Pool({ connectionString: url, max: 10, pipeline: true })); // as the app's pool (lib/db/client.ts)
}

/**
 * 50 orgs of mixed weights with a cap at every level (none tighter than the worker concurrency
 * in aggregate). With `limits`, every org also has a rate limit and a key rule (per customer,
 * four customers, on its default queue: its lanes there split four ways), neither binding:
 * what they cost is the bookkeeping.
 */
export async function mixedWorld(db: pg.Pool, total: number, limits = false): Promise<void> {
  await db.query("UPDATE platform_settings SET global_capacity = 500, default_project_concurrency = 8");
  const weights = [1, 2, 3, 5, 8];
  const lanes: { id: number; spec: LaneSpec }[] = [];
  for (let i = 0; i < 50; i++) {
    const orgId = await insertOrg(db, `org-${i}`, { weight: weights[i % weights.length]!, maxConcurrency: 8, jobs: 6, accessRequests: 2, workflows: 4 });
    const pool = await insertRow(db, `INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, 'shared', 5)`, [orgId]);
    const pooled = await insertRow(db, "INSERT INTO project (org_id, name, pool_id, max_concurrent_jobs) VALUES ($1, 'pooled', $2, 4)", [orgId, pool]);
    const plain = await insertRow(db, "INSERT INTO project (org_id, name) VALUES ($1, 'default-limit')", [orgId]);
    const normal = await insertRow(db, "INSERT INTO queue (org_id, name, concurrency) VALUES ($1, 'default', 6)", [orgId]);
    const urgent = await insertRow(db, "INSERT INTO queue (org_id, name, priority, concurrency) VALUES ($1, 'urgent', 10, 2)", [orgId]);
    const flow = await insertRow(db, "INSERT INTO flow (org_id, project_id, name, concurrency_limit) VALUES ($1, $2, 'etl', 3)", [orgId, pooled]);
    const parent = await insertRow(
      db,
      "INSERT INTO execution (org_id, project_id, queue_id, kind, state, holds_slot, concurrency, lane_id) VALUES ($1, $2, $3, 'job', 'SUCCESS', false, 2, NULL)",
      [orgId, plain, normal],
    );
    const specs: LaneSpec[] = [
      { orgId, projectId: pooled, flowId: flow, queueId: normal, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: pooled, flowId: null, queueId: urgent, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: null, rootId: null, kind: "access_request", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: parent, rootId: parent, kind: "workflow", depth: 1 },
    ];
    if (limits) {
      await db.query("UPDATE organization SET rate_limit = 100000, rate_period_ms = 60000 WHERE id = $1", [orgId]);
      const rule = await insertRow(db, `INSERT INTO concurrency_key_rule (org_id, name, queue_id, source, path, "limit") VALUES ($1, 'per-customer', $2, 'payload', '/customer', 3)`, [orgId, normal]);
      const keyed = specs.flatMap((spec) => (spec.queueId === normal ? ["c1", "c2", "c3", "c4"].map((value) => ({ ...spec, keys: [{ ruleId: rule, value }] })) : [spec]));
      specs.splice(0, specs.length, ...keyed);
    }
    for (const spec of specs) lanes.push({ id: await createLane(db, spec), spec });
  }
  const per = Math.floor(total / lanes.length);
  await loadBacklog(db, lanes, lanes.map((_, i) => per + (i < total - per * lanes.length ? 1 : 0)));
}
