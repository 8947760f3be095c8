import { createHash } from "node:crypto";
import { backlogFull, conflict, validationFailed } from "../core/errors";
import { backlogCaps, debouncedStart, decideAdmission, laneKey, requestedStart } from "./policy/admission";
import type { FlowBehavior } from "../contract/fields";
import type { ExecutionKind, KeyValue } from "./policy/scopes";
import { recordTransitions } from "./sql/transitions";
import { fullBacklog } from "./sql/backlog";
import { lockDebounceKey, pushDebounced, waitingDebounced } from "./sql/debounce";
import { claimIdempotencyKey } from "./sql/idempotency";
import { withTransaction, type Db, type Tx } from "../db/transaction";
import { notifyDispatch } from "./sql/transaction";
import { schedulerOptions } from "./options";
import { asKey, keyValuesFor, parsePointer, readPointer, type KeyRuleRef } from "../keys/key-values";
import { env } from "../core/env";
import { retryView, type RetryPolicy } from "../core/fields";

// Admission of one execution (docs/dispatch.md, "Admission"; docs/limits.md): idempotency
// first (a repeat gets the first execution, whatever else changed since), then the references,
// the concurrency keys, debounce, the trigger lock and flow behavior, backlog caps, and the lane.

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
  /** The key concurrency key rules with source "submission" read. */
  concurrencyKey?: string | null;
  /** Not startable before this (or `delayMs` from now). */
  startAfter?: Date | null;
  delayMs?: number | null;
  idempotencyKey?: string | null;
  /** The key a debounced flow with source "submission" reads. */
  debounceKey?: string | null;
  /** Instead of the flow's retry policy; null: FAILED is final (docs/lifecycle.md). */
  retry?: RetryPolicy | null;
  /** The finished execution this one reruns (rerun.ts). */
  rerunOf?: string | null;
}

export interface SubmitResult {
  id: string;
  state: string;
  reason: string | null;
  startAfter: Date | null;
  /** Set when nothing was created: the submission got this existing execution instead. */
  deduplicatedBy: "idempotencyKey" | "debounce" | null;
}

interface FlowRow {
  id: string;
  project_id: string;
  concurrency_limit: number | null;
  concurrency_behavior: FlowBehavior;
  child_concurrency: number | null;
  queue_name: string | null;
  max_queued: number | null;
  debounce_source: "submission" | "payload" | null;
  debounce_path: string | null;
  debounce_delay_ms: number | null;
  debounce_max_delay_ms: number | null;
  retry_max_attempts: number | null;
  retry_initial_ms: number | null;
  retry_factor: number | null;
  retry_max_ms: number | null;
  retry_jitter: number | null;
}

async function resolveFlow(tx: Tx, input: SubmitInput, lock: boolean): Promise<FlowRow | null> {
  if (!input.flowId) return null;
  const { rows } = await tx.query<FlowRow>(
    `SELECT f.id, f.project_id, f.concurrency_limit, f.concurrency_behavior, f.child_concurrency, q.name AS queue_name,
            f.max_queued, f.debounce_source, f.debounce_path, f.debounce_delay_ms, f.debounce_max_delay_ms,
            f.retry_max_attempts, f.retry_initial_ms, f.retry_factor, f.retry_max_ms, f.retry_jitter
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

/** The org's rules that cover an execution of this flow and queue, in rule order (org-wide, flow, queue; then age). */
async function keyRulesFor(tx: Tx, orgId: string, flowId: string | null, queueId: string): Promise<KeyRuleRef[]> {
  const { rows } = await tx.query<KeyRuleRef>(
    `SELECT id, name, source, path FROM concurrency_key_rule
      WHERE org_id = $1 AND ((flow_id IS NULL AND queue_id IS NULL) OR flow_id = $2 OR queue_id = $3)
      ORDER BY (flow_id IS NOT NULL), (queue_id IS NOT NULL), created_at, id`,
    [orgId, flowId, queueId],
  );
  return rows;
}

/**
 * The lane key of a placement with its concurrency keys: the policy's, and the keys as a digest
 * (values are up to 200 characters under each rule, too long for a unique index together).
 */
export function laneKeyWithKeys(p: Parameters<typeof laneKey>[0] & { keys: readonly KeyValue[] }): string {
  return laneKey(p) + (p.keys.length === 0 ? "" : `:${createHash("sha256").update(JSON.stringify(p.keys.map((k) => [k.ruleId, k.value]))).digest("base64url")}`);
}

/** The lane an execution with this placement and these keys waits in, created on first use. */
async function laneFor(
  tx: Tx,
  p: { orgId: string; projectId: string; flowId: string | null; queueId: string; parentId: string | null; rootId: string | null; kind: ExecutionKind; keys: readonly KeyValue[] },
  joining: boolean,
): Promise<number> {
  const lane = await tx.query<{ id: number }>(
    `INSERT INTO dispatch_lane (key, org_id, project_id, flow_id, queue_id, parent_id, root_id, kind, key_rule_ids, key_values, queued)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (key) DO UPDATE SET queued = dispatch_lane.queued + EXCLUDED.queued RETURNING id`,
    [laneKeyWithKeys(p), p.orgId, p.projectId, p.flowId, p.queueId, p.parentId, p.rootId, p.kind, p.keys.map((k) => k.ruleId), p.keys.map((k) => k.value), joining ? 1 : 0],
  );
  return lane.rows[0]!.id;
}

async function existing(tx: Tx, id: string, by: "idempotencyKey" | "debounce"): Promise<SubmitResult> {
  const { rows } = await tx.query<{ state: string; reason: string | null; start_after: Date | null }>("SELECT state, reason, start_after FROM execution WHERE id = $1", [id]);
  return { id, state: rows[0]!.state, reason: rows[0]!.reason, startAfter: rows[0]!.start_after, deduplicatedBy: by };
}

function debounceKeyOf(flow: FlowRow, input: SubmitInput): string {
  const value = flow.debounce_source === "submission" ? asKey(input.debounceKey) : asKey(readPointer(input.payload ?? {}, parsePointer(flow.debounce_path ?? "") ?? []));
  if (value !== null) return value;
  const field = flow.debounce_source === "submission" ? "debounceKey" : `payload${flow.debounce_path ?? ""}`;
  throw validationFailed([{ field, message: "required: the flow debounces by this key (a string, number or boolean of at most 200 characters)" }]);
}

/** Admits one execution inside the caller's transaction (batch submitters share one). */
export async function submitInTx(tx: Tx, input: SubmitInput, maxAttemptsDefault = schedulerOptions().maxAttempts): Promise<SubmitResult> {
  let newId: string | null = null;
  if (input.idempotencyKey) {
    const claim = await claimIdempotencyKey(tx, input.orgId, input.idempotencyKey, env().IDEMPOTENCY_RETENTION_HOURS * 3_600_000);
    if (claim.taken) return existing(tx, claim.executionId, "idempotencyKey");
    newId = claim.executionId;
  }
  const project = await tx.query<{ id: string; queue_name: string | null; org_max_queued: number | null; default_max_queued: number | null; now: Date }>(
    `SELECT p.id, q.name AS queue_name, o.max_queued AS org_max_queued, ps.default_max_queued, now()
       FROM project p JOIN organization o ON o.id = p.org_id
       LEFT JOIN queue q ON q.id = p.default_queue_id
       LEFT JOIN platform_settings ps ON ps.id = 1
      WHERE p.id = $1 AND p.org_id = $2`,
    [input.projectId, input.orgId],
  );
  // References inside the body are validation errors (422 naming the field), as in every
  // other endpoint; 404 is for the resource a path names.
  const placed = project.rows[0];
  if (!placed) throw validationFailed([{ field: "projectId", message: "no such project in this organization" }]);
  const now = placed.now;

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
  const debounce = flow?.debounce_source ? { delayMs: flow.debounce_delay_ms!, maxDelayMs: flow.debounce_max_delay_ms! } : null;

  const requested = requestedStart(input, now);
  if ("issue" in requested) throw validationFailed([requested.issue]);
  if (debounce && requested.at) {
    throw validationFailed([{ field: input.delayMs != null ? "delayMs" : "startAfter", message: "the flow debounces its submissions: it sets their start itself" }]);
  }

  const kind: ExecutionKind = input.accessRequest ? "access_request" : parent ? "workflow" : "job";
  const queueName = input.queue ?? flow?.queue_name ?? placed.queue_name ?? "default";
  const queueId = await resolveQueue(tx, input.orgId, queueName);
  const rules = await keyRulesFor(tx, input.orgId, flowId, queueId);
  const { keys, issues } = keyValuesFor(rules, input);
  if (issues.length > 0) throw validationFailed(issues);
  const rootId = parent ? (parent.root_id ?? parent.id) : null;
  const placement = { orgId: input.orgId, projectId: input.projectId, flowId, queueId, parentId: input.parentId ?? null, rootId, kind, keys };

  let debounced: { key: string; startAfter: Date; deadline: Date } | null = null;
  if (flow && debounce) {
    const key = debounceKeyOf(flow, input);
    await lockDebounceKey(tx, flow.id, key);
    const waiting = await waitingDebounced(tx, flow.id, key);
    const start = debouncedStart(now, debounce, waiting?.deadline ?? null);
    if (waiting) {
      const laneId = await laneFor(tx, placement, false);
      await pushDebounced(tx, waiting.id, {
        payload: input.payload, concurrencyKey: input.concurrencyKey ?? null, keyRuleIds: keys.map((k) => k.ruleId), keyValues: keys.map((k) => k.value), laneId, startAfter: start.startAfter,
      });
      if (input.idempotencyKey) await tx.query("UPDATE idempotency_key SET execution_id = $3 WHERE org_id = $1 AND key = $2", [input.orgId, input.idempotencyKey, waiting.id]);
      await notifyDispatch(tx);
      return { ...(await existing(tx, waiting.id, "debounce")), startAfter: start.startAfter };
    }
    debounced = { key, ...start };
  }

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

  if (admission.outcome === "queue") {
    const caps = backlogCaps({ orgMaxQueued: placed.org_max_queued, platformDefault: placed.default_max_queued ?? 0, flowMaxQueued: flow?.max_queued ?? null });
    const full = await fullBacklog(tx, input.orgId, flowId, caps);
    if (full) {
      const what = full.scope === "org" ? "The organization" : "The flow";
      throw backlogFull(`${what} has ${full.queued} executions waiting, its backlog cap (maxQueued ${full.limit}); nothing was created. Try again once some have started.`, { scope: full.scope, limit: full.limit, queued: full.queued }, BACKLOG_RETRY_AFTER_S);
    }
  }

  const startAfter = debounced?.startAfter ?? requested.at;
  let laneId: number | null = null;
  let waitingLaneId: number | null = null;
  if (admission.outcome === "queue") {
    const id = await laneFor(tx, placement, startAfter === null);
    if (startAfter === null) laneId = id;
    else waitingLaneId = id;
  }
  const state = admission.outcome === "queue" ? "QUEUED" : admission.state;
  const reason = admission.outcome === "record" ? admission.reason : null;
  const retry = input.retry !== undefined ? input.retry : flow ? retryView({
    retryMaxAttempts: flow.retry_max_attempts, retryInitialMs: flow.retry_initial_ms, retryFactor: flow.retry_factor, retryMaxMs: flow.retry_max_ms, retryJitter: flow.retry_jitter,
  }) : null;
  let inserted;
  try {
    inserted = await tx.query<{ id: string }>(
      `INSERT INTO execution (id, org_id, project_id, flow_id, parent_id, root_id, depth, kind, queue_id, priority, concurrency,
                              trigger_id, payload, max_attempts, submitted_by, lane_id, state, reason, finished_at,
                              concurrency_key, key_rule_ids, key_values, start_after, waiting_lane_id, idempotency_key, debounce_key, debounce_deadline,
                              retry_initial_ms, retry_factor, retry_max_ms, retry_jitter, rerun_of)
       VALUES (coalesce($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
               CASE WHEN $17::execution_state = 'QUEUED' THEN NULL ELSE now() END,
               $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)
       RETURNING id`,
      [
        newId, input.orgId, input.projectId, flowId, input.parentId ?? null, rootId, parent ? parent.depth + 1 : 0, kind, queueId,
        input.priority ?? 0, input.concurrency ?? flow?.child_concurrency ?? null, input.triggerId ?? null,
        JSON.stringify(input.payload ?? {}), retry?.maxAttempts ?? input.maxAttempts ?? maxAttemptsDefault, input.submittedBy ?? null, laneId, state, reason,
        input.concurrencyKey ?? null, keys.map((k) => k.ruleId), keys.map((k) => k.value), startAfter, waitingLaneId,
        input.idempotencyKey ?? null, debounced?.key ?? null, debounced?.deadline ?? null,
        retry?.backoff.initialMs ?? null, retry?.backoff.factor ?? null, retry?.backoff.maxMs ?? null, retry?.jitter ?? null,
        input.rerunOf ?? null,
      ],
    );
  } catch (error) {
    // Two submissions for one trigger raced past the check above: the unique index decides.
    if ((error as { constraint?: string }).constraint === "execution_trigger_lock_idx") {
      throw conflict("trigger_locked", "This trigger already has a live execution; it stays locked until that one finishes.");
    }
    throw error;
  }
  const id = inserted.rows[0]!.id;
  await recordTransitions(tx, [{
    executionId: id, orgId: input.orgId, from: null, to: state, holdsSlot: false, actor: input.submittedBy ?? null,
    reason: input.rerunOf ? `rerun of ${input.rerunOf}${reason ? `; ${reason}` : ""}` : reason,
  }]);
  // Scheduled work wakes claimers too: their timers learn of the earlier start.
  if (state === "QUEUED") await notifyDispatch(tx);
  return { id, state, reason, startAfter, deduplicatedBy: null };
}

/** How long a client refused for a full backlog is asked to wait. */
const BACKLOG_RETRY_AFTER_S = 5;

export async function submitExecution(db: Db, input: SubmitInput): Promise<SubmitResult> {
  return withTransaction(db, (tx) => submitInTx(tx, input));
}
