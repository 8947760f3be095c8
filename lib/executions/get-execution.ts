import { notFound } from "../core/errors";
import { explainExecution } from "../dispatch/explain-execution";
import type { Reason } from "../dispatch/policy/explain";
import type { Db } from "../db/transaction";
import { EXECUTION_COLUMNS, EXECUTION_FROM, executionView, type ExecutionRow } from "./execution-view";

/** One execution with its transition history and, while it is queued or paused, why it waits (or what for). */
export async function getExecution(db: Db, executionId: string, scope: readonly string[] | "all") {
  const { rows } = await db.query<ExecutionRow>(
    `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM} WHERE e.id = $1 AND ($2::uuid[] IS NULL OR e.org_id = ANY($2))`,
    [executionId, scope === "all" ? null : scope],
  );
  const row = rows[0];
  if (!row) throw notFound("Execution");
  const history = await db.query<{ from_state: string | null; to_state: string; holds_slot: boolean; reason: string | null; actor: string | null; worker_id: string | null; worker_name: string | null; at: Date }>(
    `SELECT t.from_state, t.to_state, t.holds_slot, t.reason, t.actor, t.worker_id, w.name AS worker_name, t.at
       FROM execution_transition t LEFT JOIN worker w ON w.id = t.worker_id
      WHERE t.execution_id = $1 ORDER BY t.id`,
    [executionId],
  );
  const waiting: Reason[] | null = row.state === "QUEUED" || row.state === "PAUSED" ? await explainExecution(db, executionId, row.org_id) : null;
  return {
    ...executionView(row),
    transitions: history.rows.map((t) => ({ from: t.from_state, to: t.to_state, holdsSlot: t.holds_slot, reason: t.reason, actor: t.actor, workerId: t.worker_id, workerName: t.worker_name, at: t.at })),
    explain: waiting,
  };
}

/** The org of an execution, for authorization before acting on it (no tenant filter). */
export async function unsafeExecutionOrg(db: Db, executionId: string): Promise<string | null> {
  const { rows } = await db.query<{ org_id: string }>("SELECT org_id FROM execution WHERE id = $1", [executionId]);
  return rows[0]?.org_id ?? null;
}
