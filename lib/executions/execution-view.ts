// The API's JSON shape of an execution, from a row of `execution` joined with its queue
// name (snake_case SQL columns in, camelCase out).

import { retryView } from "../core/fields";

export const EXECUTION_COLUMNS = `
  e.id, e.seq, e.org_id, e.project_id, e.flow_id, e.parent_id, e.root_id, e.depth, e.kind, q.name AS queue,
  e.priority, e.concurrency, e.trigger_id, e.payload, e.state, e.holds_slot, e.resume_first, e.attempts,
  e.max_attempts, e.lease_worker_id, w.name AS worker_name, e.lease_expires_at, e.heartbeat_at, e.reason,
  e.result, e.submitted_by, e.created_at, e.started_at, e.paused_at, e.finished_at,
  e.concurrency_key, e.key_rule_ids, e.key_values, e.start_after, e.waiting_lane_id IS NOT NULL AS scheduled, e.idempotency_key, e.debounce_key,
  e.retry_initial_ms, e.retry_factor, e.retry_max_ms, e.retry_jitter, e.rerun_of, e.forced_at, e.forced_by, e.forced_reason,
  e.pause_kind, e.pause_until, e.pause_on_due, e.lane_id`;

export const EXECUTION_FROM = `
  execution e JOIN queue q ON q.id = e.queue_id LEFT JOIN worker w ON w.id = e.lease_worker_id`;

export interface ExecutionRow {
  id: string; seq: number; org_id: string; project_id: string; flow_id: string | null; parent_id: string | null;
  root_id: string | null; depth: number; kind: string; queue: string; priority: number; concurrency: number | null;
  trigger_id: string | null; payload: unknown; state: string; holds_slot: boolean; resume_first: boolean;
  attempts: number; max_attempts: number; lease_worker_id: string | null; worker_name: string | null;
  lease_expires_at: Date | null; heartbeat_at: Date | null; reason: string | null; result: unknown;
  submitted_by: string | null; created_at: Date; started_at: Date | null; paused_at: Date | null; finished_at: Date | null;
  concurrency_key: string | null; key_rule_ids: string[]; key_values: string[]; start_after: Date | null; scheduled: boolean;
  idempotency_key: string | null; debounce_key: string | null;
  retry_initial_ms: number | null; retry_factor: number | null; retry_max_ms: number | null; retry_jitter: number | null; rerun_of: string | null;
  forced_at: Date | null; forced_by: string | null; forced_reason: string | null;
  pause_kind: "delay" | "approval" | null; pause_until: Date | null; pause_on_due: "resume" | "fail" | null;
  /** bigint: node-postgres reads it as a string. */
  lane_id: string | number | null;
}

export function executionView(r: ExecutionRow) {
  return {
    id: r.id,
    orgId: r.org_id,
    projectId: r.project_id,
    flowId: r.flow_id,
    parentId: r.parent_id,
    rootId: r.root_id,
    depth: r.depth,
    kind: r.kind,
    queue: r.queue,
    priority: r.priority,
    concurrency: r.concurrency,
    triggerId: r.trigger_id,
    payload: r.payload,
    state: r.state,
    holdsSlot: r.holds_slot,
    resumed: r.resume_first,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    worker: r.lease_worker_id ? { id: r.lease_worker_id, name: r.worker_name } : null,
    leaseExpiresAt: r.lease_expires_at,
    heartbeatAt: r.heartbeat_at,
    reason: r.reason,
    result: r.result,
    submittedBy: r.submitted_by,
    concurrencyKey: r.concurrency_key,
    keys: r.key_rule_ids.map((ruleId, i) => ({ ruleId, value: r.key_values[i]! })),
    startAfter: r.start_after,
    scheduled: r.scheduled,
    idempotencyKey: r.idempotency_key,
    debounceKey: r.debounce_key,
    retry: retryView({ retryMaxAttempts: r.max_attempts, retryInitialMs: r.retry_initial_ms, retryFactor: r.retry_factor, retryMaxMs: r.retry_max_ms, retryJitter: r.retry_jitter }),
    rerunOf: r.rerun_of,
    forced: r.forced_at ? { at: r.forced_at, by: r.forced_by!, reason: r.forced_reason! } : null,
    pause: r.pause_kind ? { waitingFor: r.pause_kind, until: r.pause_until, onDue: r.pause_on_due } : null,
    createdAt: r.created_at,
    startedAt: r.started_at,
    pausedAt: r.paused_at,
    finishedAt: r.finished_at,
  };
}

export type ExecutionView = ReturnType<typeof executionView>;
