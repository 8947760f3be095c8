import type { z } from "zod";
import { pool } from "../db/client";
import { dispatchWaiter } from "../db/notifications";
import { claimExecutions, type ClaimResult } from "../dispatch/claim";
import { metrics } from "../metrics/registry";
import { retryAfterSeconds, type claimBody } from "./protocol";
import type { OwnedWorker } from "./registry";

// A worker's claim (POST /api/workers/claim): report finished executions and claim up to
// `limit`, from the queues it names, else the ones it registered for (none: every queue). With
// nothing to give it waits up to `waitMs` — a long poll woken by LISTEN/NOTIFY the moment any
// instance commits new work or frees a slot, and by a timer at the moment time alone makes work
// startable (a scheduled start, a rate window: docs/limits.md) — and then answers with a
// Retry-After backoff hint, never later than that moment.
// The outcomes go with the first attempt only: the reply carries their results either way.

export interface ClaimReply extends ClaimResult {
  /** Seconds to wait before the next claim, when nothing was claimed. */
  retryAfterS: number | null;
}

export async function claimWithWait(worker: OwnedWorker, body: z.output<typeof claimBody>, signal: AbortSignal): Promise<ClaimReply> {
  const m = metrics(pool);
  const started = performance.now();
  const deadline = Date.now() + body.waitMs;
  const waiter = body.waitMs > 0 ? await dispatchWaiter() : null;
  let complete = body.complete ?? [];
  const completed: ClaimResult["completed"] = [];
  try {
    for (;;) {
      const dispatchStarted = performance.now();
      const result = await claimExecutions(pool(), { workerId: worker.id, orgId: worker.orgId, queues: body.queues ?? worker.queues, limit: body.limit, complete });
      m.dispatchSeconds.observe((performance.now() - dispatchStarted) / 1000);
      completed.push(...result.completed);
      complete = [];
      const remaining = deadline - Date.now();
      const wakeIn = result.wakeAtMs == null ? Number.POSITIVE_INFINITY : Math.max(5, result.wakeAtMs - Date.now());
      const done = () => {
        m.claimRequestSeconds.observe((performance.now() - started) / 1000);
        m.claimedTotal.inc(result.claimed.length);
        if (result.claimed.length > 0) return { claimed: result.claimed, completed, retryAfterS: null };
        return { claimed: result.claimed, completed, retryAfterS: Math.min(retryAfterSeconds(body.idleRounds), Math.max(1, Math.ceil(wakeIn / 1000))) };
      };
      if (result.claimed.length > 0 || body.limit === 0 || !waiter || remaining <= 0) return done();
      // Woken by a notification, or by the timer at wakeIn: look again. At the deadline: answer.
      const woken = await waiter.wait(Math.min(remaining, wakeIn), signal);
      if (signal.aborted || (!woken && wakeIn >= remaining)) return done();
    }
  } finally {
    waiter?.close();
  }
}
