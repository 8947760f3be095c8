import { conflict, validationFailed } from "../core/errors";
import { decideAdmission, laneKey } from "./policy/admission";
import type { FlowBehavior } from "../contract/fields";
import type { ExecutionKind } from "./policy/scopes";
import { recordTransitions } from "./sql/transitions";
import { withTransaction, type Db, type Tx } from "../db/transaction";
import { notifyDispatch } from "./sql/transaction";
import { schedulerOptions } from "./options";

export interface SubmitInput {
  orgId: string;
  projectId: string;
  flowId?: string | null;
  parentId?: string | null;
  /** Queue name in the org; defaults to the flow's, then the project's default queue, then "default". */
  queue?: string | null;
  priority?: number;
  /** Cap on this execution's running descendants; defaults to the flow's childConcurrency. */
  concurrency?: number | null;
  triggerId?: string | null;
  accessRequest?: boolean;
  payload?: unknown;
  maxAttempts?: number;
  submittedBy?: string | null;
}

export interface SubmitResult {
  id: string;
  state: "QUEUED" | "CANCELLED" | "FAILED";
  reason: string | null;
}

interface FlowRow {
  id: string;
  project_id: string;
  concurrency_limit: number | null;
  concurrency_behavior: FlowBehavior;
  child_concurrency: number | null;
  queue_name: string | null;
}

async function resolveFlow(tx: Tx, input: SubmitInput, lock: boolean): Promise<FlowRow | null> {
  if (!input.flowId) return null;
  const { rows } = await tx.query<FlowRow>(
    `SELECT f.id, f.project_id, f.concurrency_limit, f.concurrency_behavior, f.child_concurrency, q.name AS queue_name
       FROM flow f LEFT JOIN queue q ON q.id = f.default_queue_id
      WHERE f.id = $1 AND f.org_id = $2 ${lock ? "FOR UPDATE OF f" : ""}`,
    [input.flowId, input.orgId],
  );
  const flow = rows[0];
  if (!flow) throw validationFailed([{ field: "flowId", message: "no such flow in this organization" }]);
  if (flow.project_id !== input.projectId) throw validationFailed([{ field: "flowId", message: "flow belongs to another project" }]);
  return flow;
}

async function resolveQueue(tx: Tx, orgId: string, name: string): Promise<string> {
  // The org's "default" queue is created on first use; any other queue must exist.
  const { rows } = await tx.query<{ id: string }>("SELECT id FROM queue WHERE org_id = $1 AND name = $2", [orgId, name]);
  if (rows[0]) return rows[0].id;
  if (name !== "default") throw validationFailed([{ field: "queue", message: `no queue named "${name}" in this organization` }]);
  const created = await tx.query<{ id: string }>(
    `INSERT INTO queue (org_id, name) VALUES ($1, 'default')
     ON CONFLICT (org_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [orgId],
  );
  return created.rows[0]!.id;
}

/** Admits one execution inside the caller's transaction (batch submitters share one). */
export async function submitInTx(tx: Tx, input: SubmitInput, maxAttemptsDefault = schedulerOptions().maxAttempts): Promise<SubmitResult> {
  const project = await tx.query<{ id: string; queue_name: string | null }>(
    `SELECT p.id, q.name AS queue_name FROM project p LEFT JOIN queue q ON q.id = p.default_queue_id
      WHERE p.id = $1 AND p.org_id = $2`,
    [input.projectId, input.orgId],
  );
  // References inside the body are validation errors (422 naming the field), as in every
  // other endpoint; 404 is for the resource a path names.
  if (!project.rows[0]) throw validationFailed([{ field: "projectId", message: "no such project in this organization" }]);

  let parent: { id: string; root_id: string | null; depth: number } | null = null;
  if (input.parentId) {
    const { rows } = await tx.query<{ id: string; root_id: string | null; depth: number; state: string }>(
      "SELECT id, root_id, depth, state FROM execution WHERE id = $1 AND org_id = $2",
      [input.parentId, input.orgId],
    );
    const row = rows[0];
    if (!row) throw validationFailed([{ field: "parentId", message: "no such execution in this organization" }]);
    if (row.depth >= 2) throw validationFailed([{ field: "parentId", message: "executions nest at most 3 levels (controller → pipeline → operation)" }]);
    if (!["QUEUED", "RUNNING", "PAUSED"].includes(row.state)) throw conflict("parent_finished", `The parent execution is ${row.state}; it cannot get new children.`);
    parent = row;
  }

  let flowId = input.flowId ?? null;
  if (input.triggerId) {
    const { rows } = await tx.query<{ flow_id: string }>("SELECT flow_id FROM trigger WHERE id = $1 AND org_id = $2", [input.triggerId, input.orgId]);
    const trigger = rows[0];
    if (!trigger) throw validationFailed([{ field: "triggerId", message: "no such trigger in this organization" }]);
    if (flowId && flowId !== trigger.flow_id) throw validationFailed([{ field: "triggerId", message: "trigger belongs to another flow" }]);
    flowId = trigger.flow_id;
  }
  const unlockedFlow = await resolveFlow(tx, { ...input, flowId }, false);
  // CANCEL / FAIL count live executions: lock the flow row so concurrent submits count in turn.
  const needsCount = unlockedFlow !== null && unlockedFlow.concurrency_limit !== null && unlockedFlow.concurrency_behavior !== "QUEUE";
  const flow = needsCount ? await resolveFlow(tx, { ...input, flowId }, true) : unlockedFlow;

  const triggerLocked = input.triggerId
    ? (await tx.query("SELECT 1 FROM execution WHERE trigger_id = $1 AND state IN ('QUEUED', 'RUNNING', 'PAUSED') LIMIT 1", [input.triggerId])).rowCount! > 0
    : false;
  const liveExecutions = needsCount
    ? (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND state IN ('QUEUED', 'RUNNING', 'PAUSED')", [flowId])).rows[0]!.n
    : 0;
  const admission = decideAdmission({
    triggerLocked,
    flow: flow ? { limit: flow.concurrency_limit, behavior: flow.concurrency_behavior, liveExecutions } : null,
  });
  if (admission.outcome === "refuse") throw conflict(admission.code, admission.message);

  const kind: ExecutionKind = input.accessRequest ? "access_request" : parent ? "workflow" : "job";
  const queueName = input.queue ?? flow?.queue_name ?? project.rows[0].queue_name ?? "default";
  const queueId = await resolveQueue(tx, input.orgId, queueName);
  const rootId = parent ? (parent.root_id ?? parent.id) : null;
  const depth = parent ? parent.depth + 1 : 0;
  const common = [
    input.orgId, input.projectId, flowId, input.parentId ?? null, rootId, depth, kind, queueId,
    input.priority ?? 0, input.concurrency ?? flow?.child_concurrency ?? null, input.triggerId ?? null,
    JSON.stringify(input.payload ?? {}), input.maxAttempts ?? maxAttemptsDefault, input.submittedBy ?? null,
  ];

  let laneId: number | null = null;
  if (admission.outcome === "queue") {
    const lane = await tx.query<{ id: number }>(
      `INSERT INTO dispatch_lane (key, org_id, project_id, flow_id, queue_id, parent_id, root_id, kind, queued)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
       ON CONFLICT (key) DO UPDATE SET queued = dispatch_lane.queued + 1 RETURNING id`,
      [laneKey({ orgId: input.orgId, projectId: input.projectId, flowId, queueId, parentId: input.parentId ?? null, kind }), input.orgId, input.projectId, flowId, queueId, input.parentId ?? null, rootId, kind],
    );
    laneId = lane.rows[0]!.id;
  }
  const state = admission.outcome === "queue" ? "QUEUED" : admission.state;
  const reason = admission.outcome === "record" ? admission.reason : null;
  let inserted;
  try {
    inserted = await tx.query<{ id: string }>(
      `INSERT INTO execution (org_id, project_id, flow_id, parent_id, root_id, depth, kind, queue_id, priority, concurrency,
                              trigger_id, payload, max_attempts, submitted_by, lane_id, state, reason, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
               CASE WHEN $16::execution_state = 'QUEUED' THEN NULL ELSE now() END)
       RETURNING id`,
      [...common, laneId, state, reason],
    );
  } catch (error) {
    // Two submissions for one trigger raced past the check above: the unique index decides.
    if ((error as { constraint?: string }).constraint === "execution_trigger_lock_idx") {
      throw conflict("trigger_locked", "This trigger already has a live execution; it stays locked until that one finishes.");
    }
    throw error;
  }
  const id = inserted.rows[0]!.id;
  await recordTransitions(tx, [{ executionId: id, orgId: input.orgId, from: null, to: state, holdsSlot: false, reason, actor: input.submittedBy ?? null }]);
  if (state === "QUEUED") await notifyDispatch(tx);
  return { id, state, reason };
}

export async function submitExecution(db: Db, input: SubmitInput): Promise<SubmitResult> {
  return withTransaction(db, (tx) => submitInTx(tx, input));
}
