import { conflict, notFound } from "../core/errors";
import { retryView } from "../core/fields";
import { withTransaction, type Db } from "../db/transaction";
import { submitInTx, type SubmitResult } from "./submit";

// Rerun (docs/lifecycle.md, "Rerun"): a finished execution submitted again as a new one that
// names it (`rerunOf`). It is a submission like any other, so it passes full admission — the
// trigger lock, the flow's behavior at its limit, backlog caps, debounce, and at dispatch every
// cap — which is what a restart that bypassed the limits got wrong elsewhere.

const FINISHED = ["SUCCESS", "FAILED", "CANCELLED", "KILLED"];

interface Original {
  state: string; project_id: string; flow_id: string | null; parent_id: string | null; queue: string; priority: number;
  concurrency: number | null; trigger_id: string | null; kind: string; payload: unknown; max_attempts: number;
  concurrency_key: string | null; debounce_key: string | null;
  retry_initial_ms: number | null; retry_factor: number | null; retry_max_ms: number | null; retry_jitter: number | null;
}

export async function rerunExecution(db: Db, input: { executionId: string; orgId: string; actor: string }): Promise<SubmitResult> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<Original>(
      `SELECT e.state, e.project_id, e.flow_id, e.parent_id, q.name AS queue, e.priority, e.concurrency, e.trigger_id, e.kind,
              e.payload, e.max_attempts, e.concurrency_key, e.debounce_key,
              e.retry_initial_ms, e.retry_factor, e.retry_max_ms, e.retry_jitter
         FROM execution e JOIN queue q ON q.id = e.queue_id
        WHERE e.id = $1 AND e.org_id = $2`,
      [input.executionId, input.orgId],
    );
    const original = rows[0];
    if (!original) throw notFound("Execution");
    if (!FINISHED.includes(original.state)) {
      throw conflict("not_finished", `Only a finished execution can be rerun; this one is ${original.state}.`);
    }
    const retry = retryView({
      retryMaxAttempts: original.max_attempts, retryInitialMs: original.retry_initial_ms, retryFactor: original.retry_factor,
      retryMaxMs: original.retry_max_ms, retryJitter: original.retry_jitter,
    });
    return submitInTx(tx, {
      orgId: input.orgId, projectId: original.project_id, flowId: original.flow_id, parentId: original.parent_id,
      queue: original.queue, priority: original.priority, concurrency: original.concurrency, triggerId: original.trigger_id,
      accessRequest: original.kind === "access_request", payload: original.payload, concurrencyKey: original.concurrency_key,
      debounceKey: original.debounce_key, submittedBy: input.actor, rerunOf: input.executionId,
      // Its own retry policy again, or none; without one, the attempts its lease expiries may use.
      ...(retry ? { retry } : { retry: null, maxAttempts: original.max_attempts }),
    });
  });
}
