import { pool } from "../../../lib/db/client";
import { registerWorker } from "../../../lib/workers/registry";

// Small builders for scheduler tests: plain SQL against the per-file test database, with
// defaults that impose no cap, so each test sets only the caps it is about.

export const db = () => pool();

export async function platform(settings: { globalCapacity?: number; defaultProjectConcurrency?: number }) {
  await db().query(
    "UPDATE platform_settings SET global_capacity = COALESCE($1, global_capacity), default_project_concurrency = COALESCE($2, default_project_concurrency)",
    [settings.globalCapacity ?? null, settings.defaultProjectConcurrency ?? null],
  );
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

export interface OrgFixture {
  id: string;
  projectId: string;
}

export async function org(options: {
  name?: string;
  weight?: number;
  maxConcurrency?: number;
  jobs?: number;
  workflows?: number;
  accessRequests?: number;
  maxPausedSlots?: number;
} = {}): Promise<OrgFixture> {
  const name = options.name ?? unique("org");
  const { rows } = await db().query<{ id: string }>(
    `INSERT INTO organization (name, slug, weight, max_concurrency, jobs, workflows, access_requests, max_paused_slots)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [name, unique(name.toLowerCase().replace(/\W+/g, "-")), options.weight ?? 1, options.maxConcurrency ?? 0,
     options.jobs ?? 1000, options.workflows ?? 1000, options.accessRequests ?? 1000, options.maxPausedSlots ?? 0],
  );
  const id = rows[0]!.id;
  const projectId = await project(id);
  return { id, projectId };
}

export async function project(orgId: string, options: { maxConcurrentJobs?: number | null; poolId?: string | null } = {}): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    "INSERT INTO project (org_id, name, max_concurrent_jobs, pool_id) VALUES ($1, $2, $3, $4) RETURNING id",
    [orgId, unique("project"), options.maxConcurrentJobs ?? null, options.poolId ?? null],
  );
  return rows[0]!.id;
}

export async function concurrencyPool(orgId: string, limit: number): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    `INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, $2, $3) RETURNING id`,
    [orgId, unique("pool"), limit],
  );
  return rows[0]!.id;
}

export async function queue(orgId: string, name: string, options: { priority?: number; concurrency?: number } = {}): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    "INSERT INTO queue (org_id, name, priority, concurrency) VALUES ($1, $2, $3, $4) RETURNING id",
    [orgId, name, options.priority ?? 0, options.concurrency ?? 0],
  );
  return rows[0]!.id;
}

export async function flow(orgId: string, projectId: string, options: { limit?: number | null; behavior?: "QUEUE" | "CANCEL" | "FAIL"; childConcurrency?: number | null } = {}): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    `INSERT INTO flow (org_id, project_id, name, concurrency_limit, concurrency_behavior, child_concurrency)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [orgId, projectId, unique("flow"), options.limit ?? null, options.behavior ?? "QUEUE", options.childConcurrency ?? null],
  );
  return rows[0]!.id;
}

export async function trigger(orgId: string, flowId: string): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    "INSERT INTO trigger (org_id, flow_id, name) VALUES ($1, $2, $3) RETURNING id",
    [orgId, flowId, unique("trigger")],
  );
  return rows[0]!.id;
}

export async function worker(options: { orgId?: string | null; queues?: string[] } = {}): Promise<string> {
  return (await registerWorker(db(), { name: unique("worker"), orgId: options.orgId ?? null, queues: options.queues ?? [] })).id;
}

export async function stateOf(executionId: string): Promise<{ state: string; holds_slot: boolean; reason: string | null; attempts: number }> {
  const { rows } = await db().query("SELECT state, holds_slot, reason, attempts FROM execution WHERE id = $1", [executionId]);
  return rows[0];
}

/** In-flight per org recounted from the rows. */
export async function inFlight(orgId?: string): Promise<number> {
  const { rows } = await db().query<{ n: number }>(
    "SELECT count(*)::int AS n FROM execution WHERE holds_slot AND ($1::uuid IS NULL OR org_id = $1)",
    [orgId ?? null],
  );
  return rows[0]!.n;
}

/**
 * Makes every live lease look expired, as if the workers had stalled past the TTL while the
 * platform ran on (its heartbeat is recent, so no outage is credited to the leases: docs/leases.md).
 */
export async function expireAllLeases(): Promise<void> {
  await db().query("UPDATE execution SET lease_expires_at = now() - interval '1 second' WHERE state = 'RUNNING'; UPDATE platform_heartbeat SET beat_at = clock_timestamp()");
}

/** Ends all live work left by earlier tests in this file, so fair-order tests start level. */
export async function clearLiveWork(): Promise<void> {
  const { endExecutionsOf } = await import("../../../lib/dispatch/kill");
  const { withDispatchTransaction } = await import("../../../lib/dispatch/sql/transaction");
  await withDispatchTransaction(db(), async (tx) => {
    const orgs = await tx.query<{ id: string }>("SELECT id FROM organization");
    for (const o of orgs.rows) await endExecutionsOf(tx, { orgId: o.id }, "test cleanup", 1000);
  });
}

/** A concurrency key rule (docs/limits.md): per key of the submission ("submission") or at a payload path. */
export async function keyRule(
  orgId: string,
  options: { flowId?: string; queueId?: string; path?: string; limit?: number | null; rate?: { limit: number; periodMs: number } } = {},
): Promise<string> {
  const { rows } = await db().query<{ id: string }>(
    `INSERT INTO concurrency_key_rule (org_id, name, flow_id, queue_id, source, path, "limit", rate_limit, rate_period_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [orgId, unique("rule"), options.flowId ?? null, options.queueId ?? null, options.path ? "payload" : "submission", options.path ?? null,
     options.limit === undefined ? 2 : options.limit, options.rate?.limit ?? null, options.rate?.periodMs ?? null],
  );
  return rows[0]!.id;
}

/** A rate limit on an org, a flow or a queue (null removes it). */
export async function rateLimit(table: "organization" | "flow" | "queue", id: string, rate: { limit: number; periodMs: number } | null): Promise<void> {
  await db().query(`UPDATE ${table} SET rate_limit = $2, rate_period_ms = $3 WHERE id = $1`, [id, rate?.limit ?? null, rate?.periodMs ?? null]);
}
