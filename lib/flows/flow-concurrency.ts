import { notFound } from "../errors";
import { EXECUTION_COLUMNS, EXECUTION_FROM, executionView, type ExecutionRow } from "../executions/execution-view";
import type { Db } from "../scheduler/sql/tx";

/**
 * A flow's concurrency tab: its limit and behavior, active slots against total, and the
 * RUNNING (and slot-holding PAUSED) and QUEUED executions, oldest first. An execution whose
 * last heartbeat is older than half the lease is flagged stuck.
 */
export async function getFlowConcurrency(db: Db, flowId: string, scope: readonly string[] | "all", options: { leaseTtlMs: number; listLimit?: number }) {
  const flow = await db.query<{ id: string; org_id: string; name: string; concurrency_limit: number | null; concurrency_behavior: string }>(
    "SELECT id, org_id, name, concurrency_limit, concurrency_behavior FROM flow WHERE id = $1 AND ($2::uuid[] IS NULL OR org_id = ANY($2))",
    [flowId, scope === "all" ? null : scope],
  );
  const f = flow.rows[0];
  if (!f) throw notFound("Flow");
  const limit = options.listLimit ?? 200;
  const [active, running, queued, queuedCount] = await Promise.all([
    db.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND holds_slot", [flowId]),
    db.query<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM} WHERE e.flow_id = $1 AND e.state IN ('RUNNING', 'PAUSED') ORDER BY e.started_at NULLS LAST, e.seq LIMIT $2`, [flowId, limit]),
    db.query<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM} WHERE e.flow_id = $1 AND e.state = 'QUEUED' ORDER BY e.resume_first DESC, e.priority DESC, e.seq LIMIT $2`, [flowId, limit]),
    db.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND state = 'QUEUED'", [flowId]),
  ]);
  const now = Date.now();
  const stuckAfterMs = options.leaseTtlMs / 2;
  return {
    flowId: f.id,
    name: f.name,
    limit: f.concurrency_limit,
    behavior: f.concurrency_behavior,
    activeSlots: active.rows[0]!.n,
    totalSlots: f.concurrency_limit,
    queuedCount: queuedCount.rows[0]!.n,
    running: running.rows.map((r) => ({
      ...executionView(r),
      stuck: r.state === "RUNNING" && (r.heartbeat_at === null || now - r.heartbeat_at.getTime() > stuckAfterMs),
    })),
    queued: queued.rows.map(executionView),
  };
}
