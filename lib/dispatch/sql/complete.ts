import { statement, type Tx } from "../../db/transaction";
import { LEASE_NOW } from "./transaction";

// Completion: the hot path's second half. Only the current lease holder (worker id and
// fencing token) of a RUNNING execution whose lease has not run out can complete it, so a
// duplicate or late report changes nothing and a slot is released exactly once. Batched:
// one statement for any number of outcomes. It does not take the dispatch lock, because
// releasing slots can only make the next decision more permissive, never unsafe.

export interface Outcome {
  executionId: string;
  leaseToken: number;
  status: "SUCCESS" | "FAILED";
  error?: string | null;
  result?: unknown;
  /** False: a FAILED outcome is final even with attempts left (docs/lifecycle.md, "Retries"). */
  retryable?: boolean;
}

export type OutcomeResult =
  | { executionId: string; ok: true }
  | { executionId: string; ok: false; code: "not_found" | "killed" | "lease_lost"; state: string | null };

/** A FAILED outcome of an execution with a retry policy and attempts left is retried. */
const RETRY = `(o.status = 'FAILED' AND o.retryable AND e.retry_initial_ms IS NOT NULL AND e.attempts < e.max_attempts AND e.lane_id IS NOT NULL)`;

/** A timestamptz column as the API writes times (RFC 3339, UTC, milliseconds), for history reasons. */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * When a retry of `e` may start: its backoff for the attempt that just ended, shortened by up
 * to its jitter at random (docs/lifecycle.md, "Retries"). Lease expiries use it too.
 */
export const RETRY_AT = `now() + LEAST(e.retry_max_ms, e.retry_initial_ms * power(e.retry_factor, GREATEST(e.attempts - 1, 0)))
            * (1 - e.retry_jitter * random()) * interval '1 millisecond'`;

/**
 * The completion as CTEs (`done` holds what was completed), so a claim can run it in the same
 * statement as its snapshot (see snapshot.ts). Parameters $1–$7: see outcomeParams. A retry
 * waits outside its lane until its backoff has passed, like a delayed start (scheduled.ts).
 */
export const COMPLETE_CTES = `
  WITH done AS (
     UPDATE execution e SET
            state = (CASE WHEN ${RETRY} THEN 'QUEUED' ELSE o.status END)::execution_state, holds_slot = false,
            lease_worker_id = NULL, lease_expires_at = NULL, updated_at = now(),
            finished_at = CASE WHEN ${RETRY} THEN NULL ELSE now() END,
            lane_id = CASE WHEN ${RETRY} THEN NULL ELSE e.lane_id END,
            waiting_lane_id = CASE WHEN ${RETRY} THEN e.lane_id END,
            start_after = CASE WHEN ${RETRY} THEN ${RETRY_AT} ELSE e.start_after END,
            reason = CASE WHEN o.status = 'FAILED' THEN COALESCE(o.error, 'failed') END,
            result = o.result
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $7::bool[]) AS o(id, token, status, error, result, retryable)
      WHERE e.id = o.id AND e.lease_token = o.token AND e.lease_worker_id = $6
        AND e.state = 'RUNNING' AND e.lease_expires_at >= ${LEASE_NOW}
     RETURNING e.id, e.org_id, e.state, e.reason, e.attempts, e.max_attempts, e.start_after),
   history AS (
     INSERT INTO execution_transition (execution_id, org_id, from_state, to_state, holds_slot, reason, actor, worker_id)
     SELECT id, org_id, 'RUNNING', state, false,
            CASE WHEN state = 'QUEUED' THEN 'attempt ' || attempts || ' of ' || max_attempts || ' failed: ' || reason
                   || '; retry at ' || ${isoText("start_after")}
                 WHEN state = 'FAILED' THEN reason END,
            'worker', $6 FROM done)`;

/**
 * A report may name an execution twice (SUCCESS, then FAILED): only the first counts, and the
 * statement must see only it — with both, PostgreSQL would apply either one.
 */
function firstPerExecution(outcomes: readonly Outcome[]): Outcome[] {
  const seen = new Set<string>();
  return outcomes.filter((o) => !seen.has(o.executionId) && seen.add(o.executionId));
}

export function outcomeParams(workerId: string | null, all: readonly Outcome[]): unknown[] {
  const outcomes = firstPerExecution(all);
  return [
    outcomes.map((o) => o.executionId),
    outcomes.map((o) => o.leaseToken),
    outcomes.map((o) => o.status),
    outcomes.map((o) => o.error ?? null),
    outcomes.map((o) => (o.result === undefined ? null : JSON.stringify(o.result))),
    workerId,
    outcomes.map((o) => o.retryable ?? true),
  ];
}

const completeStatement = statement<{ id: string }>("slotwise_complete", `${COMPLETE_CTES} SELECT id FROM done`);

export async function completeInTx(tx: Tx, workerId: string, outcomes: readonly Outcome[]): Promise<OutcomeResult[]> {
  if (outcomes.length === 0) return [];
  const { rows } = await completeStatement(tx, outcomeParams(workerId, outcomes));
  return outcomeResults(tx, outcomes, new Set(rows.map((r) => r.id)));
}

/**
 * Each outcome's result, given the ids the completion accepted (why not, for the others). A
 * repeat of an execution already reported in the same request is answered as a separate later
 * report would be: refused, lease_lost, with the state the first report left (or, when the first
 * was refused too, the same refusal).
 */
export async function outcomeResults(tx: Tx, outcomes: readonly Outcome[], done: ReadonlySet<string>): Promise<OutcomeResult[]> {
  const rejected = outcomes.filter((o) => !done.has(o.executionId)).map((o) => o.executionId);
  const states = new Map<string, string>();
  if (rejected.length > 0) {
    const found = await tx.query<{ id: string; state: string }>("SELECT id, state FROM execution WHERE id = ANY($1::uuid[])", [rejected]);
    for (const r of found.rows) states.set(r.id, r.state);
  }
  const first = new Map<string, Outcome>();
  return outcomes.map((o): OutcomeResult => {
    const earlier = first.get(o.executionId);
    if (!earlier) first.set(o.executionId, o);
    if (done.has(o.executionId)) return earlier ? { executionId: o.executionId, ok: false, code: "lease_lost", state: earlier.status } : { executionId: o.executionId, ok: true };
    const state = states.get(o.executionId) ?? null;
    const code = state === null ? "not_found" : state === "KILLED" ? "killed" : "lease_lost";
    return { executionId: o.executionId, ok: false, code, state };
  });
}
