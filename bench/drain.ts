import type pg from "pg";
import { claimExecutions, type ClaimedExecution } from "../lib/dispatch/claim";
import { registerWorker } from "../lib/workers/registry";

// A worker loop the way a real Slotwise worker runs: it holds at most `concurrency`
// executions, and each round trip reports the finished ones and claims replacements in the
// same transaction. Executions here are no-ops, so this measures dispatch itself.

export async function drain(db: pg.Pool, options: { concurrency: number; target: number; loops?: number; onRound?: (inFlight: ClaimedExecution[]) => Promise<void> | void }): Promise<{ completed: number; seconds: number }> {
  const loops = options.loops ?? 1;
  let completed = 0;
  const started = performance.now();
  const loop = async (slots: number) => {
    const { id: workerId } = await registerWorker(db, { name: "bench", orgId: null, queues: [] });
    let held: ClaimedExecution[] = [];
    let idleRounds = 0;
    while (completed < options.target) {
      const { claimed, completed: results } = await claimExecutions(db, {
        workerId,
        limit: slots,
        complete: held.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })),
      });
      completed += results.filter((r) => r.ok).length;
      held = claimed;
      await options.onRound?.(held);
      if (claimed.length === 0 && results.length === 0 && ++idleRounds > 20) break;
      if (claimed.length > 0) idleRounds = 0;
    }
    if (held.length > 0) {
      const { completed: results } = await claimExecutions(db, {
        workerId,
        limit: 0,
        complete: held.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })),
      });
      completed += results.filter((r) => r.ok).length;
    }
  };
  const per = Math.ceil(options.concurrency / loops);
  await Promise.all(Array.from({ length: loops }, (_, i) => loop(Math.min(per, options.concurrency - i * per))));
  return { completed, seconds: (performance.now() - started) / 1000 };
}
