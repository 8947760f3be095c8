import { authorize, json, route } from "@/lib/api/route";
import { claimBody, ownWorker, retryAfterSeconds } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { dispatchWaiter } from "@/lib/db/notifications";
import { metrics } from "@/lib/metrics/registry";
import { claimExecutions } from "@/lib/dispatch/claim";

export const dynamic = "force-dynamic";

/**
 * Claim up to `limit` executions for the given queues (by default the ones the worker
 * registered for; none means every queue), reporting finished ones in the same
 * transaction. With nothing to give it can wait up to `waitMs` (long poll, woken by
 * LISTEN/NOTIFY from any instance); it then answers with a Retry-After backoff hint.
 */
export const POST = route({
  auth: "required",
  maxBodyBytes: 1024 * 1024,
  body: claimBody,
  handler: async ({ principal, body, request }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    const m = metrics(pool);
    const started = performance.now();
    const deadline = Date.now() + body.waitMs;
    const waiter = body.waitMs > 0 ? await dispatchWaiter() : null;
    let complete = body.complete ?? [];
    const completed = [];
    try {
      for (;;) {
        const dispatchStarted = performance.now();
        const result = await claimExecutions(pool(), { workerId: worker.id, orgId: worker.orgId, queues: body.queues ?? worker.queues, limit: body.limit, complete });
        m.dispatchSeconds.observe((performance.now() - dispatchStarted) / 1000);
        completed.push(...result.completed);
        complete = [];
        const remaining = deadline - Date.now();
        if (result.claimed.length > 0 || body.limit === 0 || !waiter || remaining <= 0 || !(await waiter.wait(remaining, request.signal))) {
          m.claimRequestSeconds.observe((performance.now() - started) / 1000);
          m.claimedTotal.inc(result.claimed.length);
          const headers = result.claimed.length === 0 ? { "retry-after": String(retryAfterSeconds(body.idleRounds)) } : undefined;
          return json({ claimed: result.claimed, completed }, { headers });
        }
      }
    } finally {
      waiter?.close();
    }
  },
});
