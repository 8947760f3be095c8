/**
 * A worker process for the concurrency test: claims in batches (reporting the previous
 * batch's outcomes in the same call), holds each execution a few milliseconds, now and then
 * pauses and resumes one, heartbeats, and exits when nothing is queued or running for a while.
 * Configuration: DATABASE_URL, LEASE_TTL_MS, WORKER_SEED, WORKER_BATCH.
 */
import { closeDb, pool } from "../../../lib/db/client";
import { claimExecutions, type ClaimedExecution } from "../../../lib/scheduler/claim-executions";
import { heartbeatExecutions } from "../../../lib/scheduler/heartbeat-executions";
import { pauseExecution, resumeExecution } from "../../../lib/scheduler/pause-resume";
import { registerWorker } from "../../../lib/scheduler/workers";

let seed = Number(process.argv[2] ?? 1);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const batch = Number(process.argv[3] ?? 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const db = pool();
const { id: workerId } = await registerWorker(db, { name: `test-worker-${seed}`, orgId: null, queues: [] });
let held: ClaimedExecution[] = [];
let idleSince = Date.now();

while (true) {
  const { claimed, completed } = await claimExecutions(db, {
    workerId,
    limit: batch,
    complete: held.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: random() < 0.9 ? ("SUCCESS" as const) : ("FAILED" as const) })),
  });
  void completed;
  held = [];
  for (const c of claimed) {
    if (random() < 0.05) {
      // Pause and resume at once: the execution goes through the paused-slot rules.
      await pauseExecution(db, { executionId: c.id, leaseToken: c.leaseToken, workerId }).catch(() => undefined);
      const resumed = await resumeExecution(db, { executionId: c.id, workerId }).catch(() => null);
      if (resumed?.state === "RUNNING") held.push({ ...c, leaseToken: resumed.leaseToken });
      continue;
    }
    held.push(c);
  }
  await sleep(random() * 5);
  if (held.length > 0) {
    const beats = await heartbeatExecutions(db, workerId, held.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken })));
    const alive = new Set(beats.filter((b) => b.ok).map((b) => b.executionId));
    held = held.filter((c) => alive.has(c.id));
  }
  if (claimed.length > 0) idleSince = Date.now();
  if (claimed.length === 0 && held.length === 0) {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED')");
    if (rows[0]!.n === 0 || Date.now() - idleSince > 15_000) break;
    await sleep(20);
  }
}
await closeDb();
