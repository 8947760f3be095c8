// A worker PROCESS for tests/integration/scheduler-concurrency.test.ts. It talks to the
// scheduler exactly as a real worker does (same library calls, its own connection pool —
// a plain pg pool configured like lib/db/client.ts's, without loading Prisma, which the
// scheduler does not use and which would cost seconds of start-up per process):
//
//   - registers itself (registerWorker) and prints `READY <workerId>` on stdout;
//   - loops: claimExecutions with `limit` = free batch room, reporting the outcomes of the
//     executions it finished since the previous claim in the same call (`complete`); on a
//     few turns it reports them on their own first (completeExecutions, which takes no
//     dispatch lock), as an API worker that completes one by one would;
//   - "runs" each claimed execution for a seeded random 0–5 ms (a few run long, up to
//     ~2 lease TTLs, so they only survive through heartbeats);
//   - pauses a few executions mid-run and resumes each a few milliseconds later (resume
//     either continues it in its held slot or sends it back to the queue);
//   - when it has nothing to do it waits for the scheduler's NOTIFY (a slot or work appeared)
//     or a short timeout, like the reference worker's long-poll;
//   - heartbeats what it holds every TTL/4, and drops what it is told was killed or lost;
//   - exits (code 0, printing `DONE <json stats>`) on SIGTERM, when its parent goes away
//     (IPC channel closed), or after nothing was live in the database for IDLE_EXIT_MS.
//
// Configuration, from the environment (argv overrides: `--seed=3 --batch=6`):
//   DATABASE_URL, LEASE_TTL_MS (default 1500), WORKER_SEED (1), WORKER_BATCH (6),
//   WORKER_PAUSE_RATE (0.03 per execution), WORKER_LONG_RATE (0.01 per execution),
//   WORKER_SEPARATE_COMPLETE_RATE (0.25 per turn),
//   IDLE_EXIT_MS (30000), WORKER_WAIT_FOR_GO (0; 1 = after READY, wait for a "go" IPC message,
//   so several workers can boot while the test prepares work and then start together).

import pg from "pg";
import { randomFor } from "../../support/random";
import { AppError } from "../../../lib/core/errors";
import { claimExecutions, completeExecutions, type Outcome } from "../../../lib/dispatch/claim";
import { DISPATCH_CHANNEL } from "../../../lib/db/notifications";
import { heartbeatExecutions } from "../../../lib/dispatch/heartbeat";
import { pauseExecution, resumeExecution } from "../../../lib/dispatch/pause-resume";
import { registerWorker } from "../../../lib/workers/registry";

const args = new Map(
  process.argv.slice(2).flatMap((a) => {
    const m = /^--([\w-]+)=(.*)$/.exec(a);
    return m ? [[m[1]!, m[2]!] as const] : [];
  }),
);
const option = (arg: string, envName: string, fallback: number) => Number(args.get(arg) ?? process.env[envName] ?? fallback);

const seed = option("seed", "WORKER_SEED", 1);
const batch = Math.max(1, option("batch", "WORKER_BATCH", 6));
const leaseTtlMs = option("lease-ttl-ms", "LEASE_TTL_MS", 1_500);
const pauseRate = option("pause-rate", "WORKER_PAUSE_RATE", 0.03);
const longRate = option("long-rate", "WORKER_LONG_RATE", 0.01);
const separateCompleteRate = option("separate-complete-rate", "WORKER_SEPARATE_COMPLETE_RATE", 0.25);
const idleExitMs = option("idle-exit-ms", "IDLE_EXIT_MS", 30_000);
const waitForGo = option("wait-for-go", "WORKER_WAIT_FOR_GO", 0) === 1;
const overrides = { leaseTtlMs };

// Reproducible per worker: the tests' one generator (tests/support/random.ts), seeded per worker.
const random = randomFor(`claim-worker-${seed}`, seed);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Held {
  id: string;
  leaseToken: number;
  /** When the simulated work is done (RUNNING), or when to resume it (PAUSED). */
  dueAt: number;
  /** When to pause it (RUNNING, before dueAt), if it is one of the few that pause. */
  pauseAt: number | null;
  paused: boolean;
}

const stats = { claimCalls: 0, claimMs: 0, claimed: 0, separateCompletes: 0, completedOk: 0, completedRejected: 0, paused: 0, pauseRefused: 0, resumedHolding: 0, resumedQueued: 0, resumeRefused: 0, beatsLost: 0, errors: 0 };
let stopping = false;
process.on("SIGTERM", () => (stopping = true));
process.on("SIGINT", () => (stopping = true));
// Spawned with an IPC channel: when the test process dies, the channel closes; stop too.
process.on("disconnect", () => (stopping = true));

// As lib/db/client.ts: BIGINT columns (sequence ids) come back as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
if (!process.env.DATABASE_URL) throw new Error("claim-worker: DATABASE_URL is not set");
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
// LISTEN on a connection of its own: wakes the idle loop as soon as a slot or work appears.
let wake: () => void = () => undefined;
const listener = await db.connect();
listener.on("notification", () => wake());
await listener.query(`LISTEN ${DISPATCH_CHANNEL}`);
const idle = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

const { id: workerId } = await registerWorker(db, { name: `claim-worker-${seed}-${process.pid}`, orgId: null, queues: [] });
process.stdout.write(`READY ${workerId}\n`);
if (waitForGo && process.send) {
  await new Promise<void>((resolve) => {
    process.on("message", (m) => m === "go" && resolve());
    process.once("disconnect", () => resolve());
  });
}

const held = new Map<string, Held>();
let outcomes: Outcome[] = [];
let lastBeat = Date.now();
let lastLive = Date.now();
let idleSleep = 2;

function runFor(): number {
  // Mostly 0–5 ms; a few run long enough that only heartbeats keep their lease.
  return random() < longRate ? leaseTtlMs * (0.5 + random() * 1.5) : random() * 5;
}

function finish(h: Held) {
  held.delete(h.id);
  outcomes.push({ executionId: h.id, leaseToken: h.leaseToken, status: random() < 0.9 ? "SUCCESS" : "FAILED", error: "simulated failure", result: { by: workerId } });
}

function count(completed: readonly { ok: boolean }[]) {
  for (const c of completed) {
    if (c.ok) stats.completedOk++;
    else stats.completedRejected++;
  }
}

/** A 409 from pause/resume means the execution was killed or its lease lost meanwhile: expected. */
function expectedConflict(error: unknown): boolean {
  return error instanceof AppError && (error.status === 409 || error.status === 404);
}

async function turn(): Promise<void> {
  const now = Date.now();
  for (const h of [...held.values()]) if (!h.paused && h.dueAt <= now) finish(h);
  if (outcomes.length > 0 && random() < separateCompleteRate) {
    const report = outcomes;
    outcomes = [];
    const completed = await completeExecutions(db, workerId, report).catch((error: unknown) => {
      outcomes.unshift(...report);
      throw error;
    });
    stats.separateCompletes++;
    count(completed);
  }

  const room = batch - held.size;
  if (room > 0 || outcomes.length > 0) {
    const report = outcomes;
    outcomes = [];
    const t0 = performance.now();
    const { claimed, completed } = await claimExecutions(db, { workerId, limit: Math.max(0, room), complete: report }, overrides).catch((error: unknown) => {
      // Nothing of the transaction happened: report these again next time.
      outcomes.unshift(...report);
      throw error;
    });
    stats.claimCalls++;
    stats.claimMs += performance.now() - t0;
    count(completed);
    stats.claimed += claimed.length;
    const at = Date.now();
    for (const c of claimed) {
      const dueAt = at + runFor();
      held.set(c.id, { id: c.id, leaseToken: c.leaseToken, dueAt, pauseAt: random() < pauseRate ? at + (dueAt - at) * random() : null, paused: false });
    }
    idleSleep = claimed.length > 0 || report.length > 0 ? 2 : Math.min(50, idleSleep * 2);
  }

  // Pause the executions whose time to pause came; resume paused ones when theirs comes.
  for (const h of [...held.values()]) {
    if (h.paused || h.pauseAt === null || h.pauseAt > Date.now()) continue;
    h.pauseAt = null;
    try {
      await pauseExecution(db, { executionId: h.id, leaseToken: h.leaseToken, workerId }, overrides);
      stats.paused++;
      h.paused = true;
      h.dueAt = Date.now() + 2 + random() * 30;
    } catch (error) {
      if (!expectedConflict(error)) throw error;
      stats.pauseRefused++;
      held.delete(h.id);
    }
  }
  for (const h of [...held.values()]) {
    if (!h.paused || h.dueAt > Date.now()) continue;
    try {
      const r = await resumeExecution(db, { executionId: h.id, by: { workerId } }, overrides);
      // Back in the queue ahead of new work, in the slot it kept or waiting for one: whoever
      // claims it next continues it.
      if (r.holdsSlot) stats.resumedHolding++;
      else stats.resumedQueued++;
      held.delete(h.id);
    } catch (error) {
      if (!expectedConflict(error)) throw error;
      stats.resumeRefused++;
      held.delete(h.id);
    }
  }

  if (Date.now() - lastBeat >= leaseTtlMs / 4) {
    lastBeat = Date.now();
    const beating = [...held.values()].filter((h) => !h.paused);
    const beats = await heartbeatExecutions(db, workerId, beating.map((h) => ({ executionId: h.id, leaseToken: h.leaseToken })), overrides);
    for (const b of beats) {
      if (!b.ok) {
        stats.beatsLost++;
        held.delete(b.executionId);
      }
    }
  }

  if (held.size === 0 && outcomes.length === 0) {
    if (idleSleep >= 16) {
      const { rows } = await db.query<{ live: boolean }>("SELECT EXISTS (SELECT 1 FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED')) AS live");
      if (rows[0]!.live) lastLive = Date.now();
      else if (Date.now() - lastLive > idleExitMs) stopping = true;
    }
    await idle(idleSleep);
  } else {
    lastLive = Date.now();
    const next = Math.min(...[...held.values()].map((h) => Math.min(h.dueAt, h.pauseAt ?? Infinity)));
    await sleep(Math.max(0, Math.min(5, next - Date.now())));
  }
}

while (!stopping) {
  try {
    await turn();
  } catch (error) {
    // A transaction that failed after its retries: report and go on, as a real worker would.
    stats.errors++;
    process.stderr.write(`claim-worker ${seed}: ${error instanceof Error ? error.message : String(error)}\n`);
    await sleep(10);
  }
}

// Told to stop: report what is finished; anything still held is left to lease expiry.
for (const h of [...held.values()]) if (!h.paused) finish(h);
if (outcomes.length > 0) {
  const { completed } = await claimExecutions(db, { workerId, limit: 0, complete: outcomes }, overrides).catch(() => ({ completed: [] }));
  count(completed);
}
stats.claimMs = Math.round(stats.claimMs);
process.stdout.write(`DONE ${JSON.stringify(stats)}\n`);
listener.release();
await db.end();
process.exit(0);
