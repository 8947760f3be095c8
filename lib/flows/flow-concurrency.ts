import { notFound } from "../core/errors";
import { EXECUTION_COLUMNS, EXECUTION_FROM, executionView, type ExecutionRow } from "../executions/execution-view";
import type { Db } from "../db/transaction";
import { isStuck, stuckAfterMs } from "./stuck";
import { waitingReasons } from "../dispatch/waiting-reasons";

// A flow's concurrency tab: its limit and behavior, active slots against total, and the
// RUNNING (and slot-holding PAUSED) and QUEUED executions, oldest first. A RUNNING execution
// whose last heartbeat is older than `stuckAfterMs` (half the lease, see stuck.ts) is flagged
// stuck; the threshold is in the reply so a client can re-decide it as time passes.

export async function getFlowConcurrency(db: Db, flowId: string, scope: readonly string[] | "all", options: { leaseTtlMs: number; listLimit?: number }) {
  const flow = await db.query<{ id: string; org_id: string; project_id: string; name: string; concurrency_limit: number | null; concurrency_behavior: string }>(
    "SELECT id, org_id, project_id, name, concurrency_limit, concurrency_behavior FROM flow WHERE id = $1 AND ($2::uuid[] IS NULL OR org_id = ANY($2))",
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
  const waiting = await waitingReasons(db, queued.rows);
  const now = Date.now();
  const threshold = stuckAfterMs(options.leaseTtlMs);
  return {
    flowId: f.id,
    orgId: f.org_id,
    projectId: f.project_id,
    name: f.name,
    limit: f.concurrency_limit,
    behavior: f.concurrency_behavior,
    activeSlots: active.rows[0]!.n,
    totalSlots: f.concurrency_limit,
    queuedCount: queuedCount.rows[0]!.n,
    stuckAfterMs: threshold,
    running: running.rows.map((r) => {
      const view = executionView(r);
      return { ...view, stuck: isStuck(view, now, threshold) };
    }),
    queued: queued.rows.map((r) => ({ ...executionView(r), waitingFor: waiting.get(r.id) ?? null })),
  };
}
