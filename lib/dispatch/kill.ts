import { notFound } from "../core/errors";
import { rebalancePausedSlots } from "./sql/leases";
import { adjustLanes, recordTransitions, type ExecutionState } from "./sql/transitions";
import { type Db, type Tx } from "../db/transaction";
import { notifyDispatch, withDispatchTransaction, type DispatchTx } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";

// Kill and delete. Killing frees the slot in the same transaction and kills every live
// descendant too; the worker learns it on its next heartbeat. Deleting a live execution
// kills it first, so no deleted row can leave a slot occupied.

interface Ended {
  id: string;
  org_id: string;
  lane_id: number | null;
  old_state: ExecutionState;
  /** QUEUED on its way back from a pause in the slot it kept: not counted in its lane. */
  held: boolean;
  worker_id: string | null;
}

/**
 * Ends every live execution matched by `where` (a SQL condition on alias x, with $1 bound to
 * `param`) with the given terminal state.
 */
export async function endLiveExecutions(
  tx: DispatchTx,
  where: string,
  param: unknown,
  end: { state: "KILLED" | "CANCELLED"; reason: string; actor: string },
  envMaxPausedSlots: number,
): Promise<Ended[]> {
  const { rows } = await tx.query<Ended>(
    `WITH target AS (
       SELECT x.id, x.state AS old_state, x.holds_slot AS held, x.lease_worker_id AS worker_id FROM execution x
        WHERE (${where}) AND x.state IN ('QUEUED', 'RUNNING', 'PAUSED')
        FOR UPDATE)
     UPDATE execution e SET state = $2::execution_state, holds_slot = false, lease_worker_id = NULL, waiting_lane_id = NULL,
            lease_expires_at = NULL, resume_first = false, pause_kind = NULL, pause_until = NULL, pause_on_due = NULL,
            reason = $3, finished_at = now(), updated_at = now()
       FROM target t WHERE e.id = t.id
     RETURNING e.id, e.org_id, e.lane_id, t.old_state, t.held, t.worker_id`,
    [param, end.state, end.reason],
  );
  if (rows.length === 0) return rows;
  await adjustLanes(tx, rows.filter((r) => r.old_state === "QUEUED" && !r.held).map((r) => r.lane_id), -1);
  await recordTransitions(
    tx,
    rows.map((r) => ({ executionId: r.id, orgId: r.org_id, from: r.old_state, to: end.state, holdsSlot: false, reason: end.reason, actor: end.actor, workerId: r.worker_id })),
  );
  const pausedOrgs = rows.filter((r) => r.old_state === "PAUSED").map((r) => r.org_id);
  await rebalancePausedSlots(tx, pausedOrgs, envMaxPausedSlots);
  await notifyDispatch(tx);
  return rows;
}

export interface KillInput {
  executionId: string;
  actor: string;
  /** When set, the execution must belong to this org (tenant scoping). */
  orgId?: string | null;
}

async function findExecution(tx: Tx, input: KillInput): Promise<{ id: string; state: ExecutionState }> {
  const { rows } = await tx.query<{ id: string; state: ExecutionState }>(
    "SELECT id, state FROM execution WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2)",
    [input.executionId, input.orgId ?? null],
  );
  const row = rows[0];
  if (!row) throw notFound("Execution");
  return row;
}

/** Kills the execution and its live descendants, returning their ids. */
async function killTree(tx: DispatchTx, input: KillInput, reason: string, envMaxPausedSlots: number): Promise<string[]> {
  await findExecution(tx, input);
  const ended = await endLiveExecutions(
    tx,
    "x.id = $1 OR x.parent_id = $1 OR x.root_id = $1",
    input.executionId,
    { state: "KILLED", reason, actor: input.actor },
    envMaxPausedSlots,
  );
  return ended.map((e) => e.id);
}

export async function killExecution(db: Db, input: KillInput, overrides: Partial<SchedulerOptions> = {}): Promise<{ killed: string[] }> {
  const { envLimits } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => ({ killed: await killTree(tx, input, `killed by ${input.actor}`, envLimits.max_paused_slots) }));
}

export async function deleteExecution(db: Db, input: KillInput, overrides: Partial<SchedulerOptions> = {}): Promise<{ killed: string[] }> {
  const { envLimits } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => {
    const killed = await killTree(tx, input, `killed by ${input.actor} (deleted)`, envLimits.max_paused_slots);
    // Descendants go with it (ON DELETE CASCADE), after they were killed above.
    await tx.query("DELETE FROM execution WHERE id = $1", [input.executionId]);
    return { killed };
  });
}

/**
 * Before a flow, project or org is deleted: its queued executions are cancelled and its
 * running or paused ones killed, with a reason, so the deletion frees every slot.
 */
export type LiveScope = { flowId: string } | { projectId: string } | { orgId: string };

export async function endExecutionsOf(tx: DispatchTx, scope: LiveScope, actor: string, envMaxPausedSlots: number): Promise<number> {
  const [column, id, what] =
    "flowId" in scope ? ["flow_id", scope.flowId, "flow"] : "projectId" in scope ? ["project_id", scope.projectId, "project"] : ["org_id", scope.orgId, "organization"];
  const reason = `${what} deleted by ${actor}`;
  const cancelled = await endLiveExecutions(tx, `x.${column} = $1 AND x.state = 'QUEUED'`, id, { state: "CANCELLED", reason, actor }, envMaxPausedSlots);
  const killed = await endLiveExecutions(tx, `x.${column} = $1`, id, { state: "KILLED", reason, actor }, envMaxPausedSlots);
  return cancelled.length + killed.length;
}
