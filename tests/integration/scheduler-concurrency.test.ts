import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom, TEST_SEED } from "../support/random";
import { killExecution } from "../../lib/dispatch/kill";
import { resumeExecution } from "../../lib/dispatch/pause-resume";
import { reconcile } from "../../lib/dispatch/reconcile";
import { withTransaction } from "../../lib/db/transaction";
import { submitInTx, type SubmitInput } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { AppError } from "../../lib/core/errors";
import { concurrencyPool, db, flow, keyRule, org, platform, project, queue, rateLimit, worker } from "./helpers/fixtures";
import { delayOneRelease, groupByExecution, historyErrors, installCommitOrder, loadCapScopes, loadTransitionsInCommitOrder, rateReplay, replay, TERMINAL, type Transition } from "./helpers/replay";

// Correctness under concurrency (docs/dispatch.md): any number of workers at once, no interleaving
// pushes a count above its cap, dispatches an execution twice, or loses one.
//
// Several worker PROCESSES (helpers/claim-worker.ts) claim, run, pause/resume, heartbeat and
// complete thousands of executions in a world with a cap at every level, while this process
// submits more work, kills random live executions, sweeps expired leases, SIGKILLs one worker
// mid-run (its leases must expire and be reclaimed) and starts a replacement. When everything
// is terminal, the verdict comes from the transition history alone, replayed in COMMIT order
// (see `installCommitOrder` in helpers/replay.ts for why not id order), never from counters.

const LEASE_TTL_MS = 1_500;
const TOTAL = 3_600;
/** Submitted before the workers start (large batches), the rest while they run (small ones). */
const INITIAL = 2_400;
const INITIAL_BATCH = 60;
const LIVE_BATCH = 10;
const SEED = Number(process.env.CONCURRENCY_SEED ?? TEST_SEED);
const WORKER_SCRIPT = path.resolve(import.meta.dirname, "helpers/claim-worker.ts");
const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

const random = seededRandom(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------- world

interface OrgWorld {
  id: string;
  projects: string[];
  /** Flows by project (QUEUE-limited, plus a CANCEL one in one org). */
  flows: Map<string, string[]>;
  queues: string[];
}

async function buildWorld(): Promise<OrgWorld[]> {
  await platform({ globalCapacity: 24, defaultProjectConcurrency: 4 });
  const specs = [
    { weight: 1, maxConcurrency: 6, jobs: 5, workflows: 3, accessRequests: 2, maxPausedSlots: 2 },
    { weight: 2, maxConcurrency: 9, jobs: 7, workflows: 2, accessRequests: 1, maxPausedSlots: 0 },
    { weight: 3, maxConcurrency: 12, jobs: 9, workflows: 4, accessRequests: 2, maxPausedSlots: 1 },
    { weight: 1, maxConcurrency: 0, jobs: 4, workflows: 2, accessRequests: 1, maxPausedSlots: 0 },
  ];
  const world: OrgWorld[] = [];
  for (const [i, spec] of specs.entries()) {
    const o = await org({ name: `conc-${i}`, ...spec });
    // o.projectId has no override: it uses the platform default (4).
    const capped = await project(o.id, { maxConcurrentJobs: 3 });
    const shared = await concurrencyPool(o.id, 5);
    const pooledA = await project(o.id, { poolId: shared, maxConcurrentJobs: 3 });
    const pooledB = await project(o.id, { poolId: shared });
    await queue(o.id, "default");
    const urgent = await queue(o.id, "urgent", { priority: 5, concurrency: 3 });
    const bulk = await queue(o.id, "bulk", { priority: -1, concurrency: 4 });
    // Per customer on the bulk queue (one customer with a limit of its own); a rate on one
    // org's urgent queue and on another's customers, across every worker process.
    const rule = await keyRule(o.id, { queueId: bulk, path: "/customer", limit: 2, rate: i === 2 ? { limit: 4, periodMs: 300 } : undefined });
    if (i === 0) await db().query(`INSERT INTO concurrency_key_override (rule_id, key_value, "limit") VALUES ($1, 'c1', 3)`, [rule]);
    if (i === 0) await rateLimit("queue", urgent, { limit: 12, periodMs: 500 });
    const flows = new Map<string, string[]>([
      [o.projectId, [await flow(o.id, o.projectId, { limit: 2 })]],
      [pooledA, [await flow(o.id, pooledA, { limit: 3, childConcurrency: 2 })]],
      [pooledB, [await flow(o.id, pooledB, { limit: 1 })]],
    ]);
    if (i === 1) flows.get(o.projectId)!.push(await flow(o.id, o.projectId, { limit: 2, behavior: "CANCEL" }));
    world.push({ id: o.id, projects: [o.projectId, capped, pooledA, pooledB], flows, queues: ["default", "default", "urgent", "bulk"] });
  }
  return world;
}

// ----------------------------------------------------------------------------- submission

const submitted: string[] = [];
const roots: { orgId: string; projectId: string; id: string }[] = [];
const submitStats = { trees: 0, lateChildren: 0, lateChildRefused: 0, admittedTerminal: 0 };

function topLevel(o: OrgWorld): SubmitInput {
  const projectId = pick(o.projects);
  const flows = o.flows.get(projectId) ?? [];
  return {
    orgId: o.id,
    projectId,
    flowId: flows.length > 0 && random() < 0.4 ? pick(flows) : null,
    queue: pick(o.queues),
    priority: Math.floor(random() * 4),
    accessRequest: random() < 0.1,
    maxAttempts: random() < 0.2 ? 1 : 3,
    payload: { sleepMs: 1, customer: `c${1 + Math.floor(random() * 4)}` },
  };
}

/** One transaction of submissions: plain jobs, whole trees (depth 2), and late children. */
async function submitBatch(world: OrgWorld[], size: number): Promise<void> {
  const mine: string[] = [];
  const myRoots: typeof roots = [];
  const stats = { trees: 0, lateChildren: 0, lateChildRefused: 0, admittedTerminal: 0 };
  // Draw every random choice up front, so a retried transaction submits the same batch.
  const plan = Array.from({ length: size }, () => {
    const o = pick(world);
    return { o, r: random(), input: topLevel(o), extra: Array.from({ length: 5 }, random) };
  });
  await withTransaction(db(), async (tx) => {
    mine.length = 0;
    myRoots.length = 0;
    Object.assign(stats, { trees: 0, lateChildren: 0, lateChildRefused: 0, admittedTerminal: 0 });
    const note = (r: { id: string; state: string }) => {
      mine.push(r.id);
      if (r.state !== "QUEUED") stats.admittedTerminal++;
    };
    for (const { o, r, input, extra } of plan) {
      const [a = 0, b = 0, c = 0, d = 0, e = 0] = extra;
      if (r < 0.05) {
        // A tree: root with `concurrency`, 2–4 pipelines, one of them with operations.
        stats.trees++;
        const projectId = o.projects[Math.floor(a * o.projects.length)]!;
        const root = await submitInTx(tx, { orgId: o.id, projectId, concurrency: 2, queue: "default", maxAttempts: 3 });
        note(root);
        myRoots.push({ orgId: o.id, projectId, id: root.id });
        const children = 2 + Math.floor(b * 3);
        for (let k = 0; k < children; k++) {
          const child = await submitInTx(tx, {
            orgId: o.id, projectId, parentId: root.id, concurrency: k === 0 ? 1 : null,
            // Mostly one queue: each (parent, queue) pair is a dispatch lane of its own.
            queue: k === 1 && c < 0.3 ? "urgent" : "default", priority: k % 3, maxAttempts: 3,
          });
          note(child);
          if (k === 0) {
            for (let g = 0; g < 1 + Math.floor(d * 3); g++) {
              note(await submitInTx(tx, { orgId: o.id, projectId, parentId: child.id, queue: "default", maxAttempts: 3 }));
            }
          }
        }
      } else if (r < 0.08 && roots.some((x) => world.some((o) => o.id === x.orgId))) {
        // A late child for a root submitted earlier: refused if that root already ended.
        const candidates = roots.filter((x) => world.some((o) => o.id === x.orgId));
        const parent = candidates[Math.floor(e * candidates.length)]!;
        try {
          note(await submitInTx(tx, { orgId: parent.orgId, projectId: parent.projectId, parentId: parent.id, queue: "default" }));
          stats.lateChildren++;
        } catch (error) {
          if (!(error instanceof AppError && error.code === "parent_finished")) throw error;
          stats.lateChildRefused++;
        }
      } else {
        note(await submitInTx(tx, input));
      }
    }
  });
  submitted.push(...mine);
  roots.push(...myRoots);
  for (const k of Object.keys(stats) as (keyof typeof stats)[]) submitStats[k] += stats[k];
}

async function submitUntil(world: OrgWorld[], target: number, batch: number, pauseMs: number): Promise<void> {
  while (submitted.length < target) {
    await submitBatch(world, Math.min(batch, target - submitted.length));
    if (pauseMs > 0) await sleep(pauseMs);
  }
}

// -------------------------------------------------------------------------------- workers

/** Every child spawned, so a failing test leaves none behind (see afterEach). */
const spawned: ChildProcess[] = [];
/** Tells the test's background loops (chaos, crash) to stop. */
let stop = false;

afterEach(async () => {
  stop = true;
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await sleep(100);
});

interface WorkerProc {
  child: ChildProcess;
  id: string;
  seed: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stats: Record<string, number> | null; stderr: string }>;
}

async function startWorker(seed: number, batch: number, waitForGo = false): Promise<WorkerProc> {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT, `--seed=${seed}`, `--batch=${batch}`], {
    cwd: REPO_ROOT,
    env: { ...process.env, LEASE_TTL_MS: String(LEASE_TTL_MS), IDLE_EXIT_MS: "60000", WORKER_WAIT_FOR_GO: waitForGo ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  spawned.push(child);
  let stats: Record<string, number> | null = null;
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(line.slice(6).trim());
      if (line.startsWith("DONE ")) stats = JSON.parse(line.slice(5)) as Record<string, number>;
    });
    child.once("exit", (code) => reject(new Error(`worker ${seed} exited (${code}) before it was ready: ${stderr}`)));
  });
  const done = new Promise<Awaited<WorkerProc["done"]>>((resolve) =>
    child.once("exit", (code, signal) => setImmediate(() => resolve({ code, signal, stats, stderr }))),
  );
  const id = await ready;
  console.log(`[concurrency] worker ${seed} ready after ${Date.now() - spawnedAt} ms`);
  return { child, id, seed, done };
}

// ------------------------------------------------------------------------------------ test

describe("scheduler under concurrency: worker processes, kills, a crashed worker", () => {
  it("never exceeds a cap, never runs an execution twice, never loses one — judged from the transition history", async () => {
    const started = Date.now();
    const log = (msg: string) => console.log(`[concurrency +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
    log(`seed ${SEED}`);
    await installCommitOrder();
    const world = await buildWorld();
    const janitor = await worker({});

    // The workers boot (a few seconds of TypeScript loading) while the backlog goes in; then
    // they all start at once.
    const booting = Promise.all([startWorker(1, 6, true), startWorker(2, 8, true), startWorker(3, 10, true)]);
    // Two streams, each for two orgs: lanes are per org, so they never wait for each other.
    await Promise.all([submitUntil(world.slice(0, 2), INITIAL, INITIAL_BATCH, 0), submitUntil(world.slice(2), INITIAL, INITIAL_BATCH, 0)]);
    log(`${submitted.length} submitted`);
    const workers: WorkerProc[] = await booting;
    for (const w of workers) w.child.send("go");
    log(`workers ${workers.map((w) => w.seed).join(", ")} go`);

    const chaosStats = { kills: 0, killedRows: 0, sweeps: 0, expiredBySweeper: 0, janitorResumes: 0 };
    const crashed: { workerId: string; running: string[]; paused: string[] }[] = [];

    // More work arrives while the workers run.
    const submitting = submitUntil(world, TOTAL, LIVE_BATCH, 5);

    // Kills of random live executions (some whole trees), and the sweeper. Never what the
    // crashed worker held, nor their ancestors (a kill cascades): those leases must run out.
    const chaos = (async () => {
      let turn = 0;
      while (!stop) {
        turn++;
        const r = random();
        const notCrashed = `(lease_worker_id IS NULL OR lease_worker_id <> ALL($1::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM execution d WHERE (d.parent_id = execution.id OR d.root_id = execution.id) AND d.lease_worker_id = ANY($1::uuid[]))`;
        const target = await db().query<{ id: string }>(
          r < 0.5
            ? `SELECT id FROM execution WHERE state IN ('RUNNING', 'PAUSED') AND ${notCrashed} ORDER BY random() LIMIT 1`
            : r < 0.6
              ? `SELECT id FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED') AND depth = 0 AND concurrency IS NOT NULL AND ${notCrashed} ORDER BY random() LIMIT 1`
              : `SELECT id FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED') AND ${notCrashed} ORDER BY random() LIMIT 1`,
          [crashed.map((c) => c.workerId)],
        );
        if (target.rows[0]) {
          const { killed } = await killExecution(db(), { executionId: target.rows[0].id, actor: "chaos" });
          chaosStats.kills++;
          chaosStats.killedRows += killed.length;
        }
        if (turn % 8 === 0) {
          chaosStats.sweeps++;
          chaosStats.expiredBySweeper += (await sweepOnce(db())).expired;
          // Paused executions of a crashed worker would wait forever: resume them on its behalf
          // (as an operator would), leased to a worker that never reports, so they expire too.
          const orphans = await db().query<{ id: string }>(
            "SELECT id FROM execution WHERE state = 'PAUSED' AND lease_worker_id = ANY($1::uuid[])",
            [crashed.map((c) => c.workerId)],
          );
          for (const o of orphans.rows) {
            await resumeExecution(db(), { executionId: o.id, by: { workerId: janitor } }, { leaseTtlMs: LEASE_TTL_MS }).then(
              () => chaosStats.janitorResumes++,
              (error: unknown) => {
                if (!(error instanceof AppError && error.status === 409)) throw error;
              },
            );
          }
        }
        await sleep(20 + random() * 20);
      }
    })();

    // SIGKILL one worker mid-run, at a moment it holds leases (frozen with SIGSTOP while we
    // look, so what it holds cannot change under us), and start a replacement.
    const crash = (async () => {
      await sleep(1_200 + random() * 800);
      while (!stop) {
        const victim = pick(workers.filter((w) => w.child.exitCode === null && !crashed.some((c) => c.workerId === w.id)));
        victim.child.kill("SIGSTOP");
        const held = await db().query<{ id: string; state: string }>(
          "SELECT id, state FROM execution WHERE lease_worker_id = $1 AND state IN ('RUNNING', 'PAUSED')",
          [victim.id],
        );
        if (held.rows.some((r) => r.state === "RUNNING")) {
          victim.child.kill("SIGKILL");
          crashed.push({
            workerId: victim.id,
            running: held.rows.filter((r) => r.state === "RUNNING").map((r) => r.id),
            paused: held.rows.filter((r) => r.state === "PAUSED").map((r) => r.id),
          });
          log(`SIGKILLed worker ${victim.seed} holding ${held.rows.length} leases; starting a replacement`);
          workers.push(await startWorker(4, 8));
          return;
        }
        victim.child.kill("SIGCONT");
        await sleep(50);
      }
    })();

    await submitting;
    log(`submitted ${submitted.length} in all`);
    await crash;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED')");
      if (rows[0]!.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.n} executions still live after the deadline`);
      await sleep(100);
    }
    stop = true;
    await chaos;
    log(`all terminal; chaos ${JSON.stringify(chaosStats)}; submissions ${JSON.stringify(submitStats)}`);

    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
    const exits = await Promise.all(workers.map((w) => w.done));
    for (const [i, e] of exits.entries()) log(`worker ${workers[i]!.seed}: ${e.signal ?? e.code} ${JSON.stringify(e.stats)}${e.stderr ? ` stderr: ${e.stderr.trim()}` : ""}`);
    const survivors = exits.filter((_, i) => !crashed.some((c) => c.workerId === workers[i]!.id));
    expect(survivors.map((e) => e.code)).toEqual(survivors.map(() => 0));
    // No worker call failed for good (deadlocks and serialization failures are retried inside).
    expect(survivors.map((e) => e.stats?.errors ?? "no DONE line")).toEqual(survivors.map(() => 0));
    expect(crashed).toHaveLength(1);

    // ------------------------------------------------------------------------- the verdict
    const { executions, scopes, limits, placements, conflicts, queueConcurrency, rates } = await loadCapScopes();
    expect(conflicts, "one cap per scope").toEqual([]);

    // Zero lost: exactly the submitted executions exist, and every one is terminal.
    expect(executions.length).toBe(submitted.length);
    expect(new Set(executions.map((e) => e.id))).toEqual(new Set(submitted));
    expect(executions.filter((e) => !TERMINAL.has(e.state)).map((e) => e.id)).toEqual([]);
    expect(executions.filter((e) => e.holds_slot).map((e) => e.id)).toEqual([]);

    // Every scope any execution counts in has a cap, except the uncapped org and the queues
    // with concurrency 0 (the "default" ones).
    const uncapped = new Set([...scopes.values()].flat().filter((s) => !limits.has(s)));
    const meantUncapped = [`org:${world[3]!.id}`, ...[...queueConcurrency].filter(([, c]) => c === 0).map(([id]) => `queue:${id}`)];
    expect([...uncapped].filter((s) => !meantUncapped.includes(s))).toEqual([]);

    const { transitions, withoutCommitPosition } = await loadTransitionsInCommitOrder();
    expect(withoutCommitPosition).toEqual([]);

    // Zero duplicates: every execution's history is one valid path that ends where its row is.
    const byExecution = groupByExecution(transitions);
    expect(byExecution.size).toBe(submitted.length);
    const pathErrors = historyErrors(byExecution, new Map(executions.map((e) => [e.id, e.state])), { requireTerminal: true });
    expect(pathErrors.length, `broken execution histories, e.g.:\n${pathErrors.slice(0, 20).join("\n")}`).toBe(0);

    // Caps: replay in commit order.
    const inCommitOrder = replay(transitions, scopes, limits);
    expect(inCommitOrder.violations.length, `over-cap slot gains, e.g.:\n${inCommitOrder.violations.slice(0, 20).join("\n")}`).toBe(0);
    expect(inCommitOrder.gainsOutsideDispatch.length, `slot gains without a claim, e.g.:\n${inCommitOrder.gainsOutsideDispatch.slice(0, 20).join("\n")}`).toBe(0);
    expect(inCommitOrder.stillHolding.size).toBe(0);

    // The check has teeth: caps were actually reached (a +1 anywhere there would fail it) ...
    const atCap = [...limits].filter(([scope, limit]) => inCommitOrder.maxSeen.get(scope) === limit).map(([scope]) => scope.split(":")[0]!);
    const codesAtCap = new Set(atCap);
    log(`${inCommitOrder.increases} slot gains replayed; ${atCap.length}/${limits.size} scopes reached their cap: ${[...codesAtCap].join(", ")}`);
    for (const code of ["global", "org", "jobs", "access_requests", "descendants", "project", "pool", "flow", "queue", "key"]) expect(codesAtCap, code).toContain(code);

    // Rate windows, replayed from the history: none ever held more starts than its limit, and
    // the limits were reached (a start too many would have failed it).
    const rated = await rateReplay(rates);
    expect(rated.violations.length, `rate windows over their limit, e.g.:\n${rated.violations.slice(0, 20).join("\n")}`).toBe(0);
    const reached = [...rated.busiest].filter(([, b]) => b.starts === b.limit).map(([scope]) => scope.split(":").slice(0, 2).join(":"));
    log(`rate windows: ${rated.busiest.size} replayed, reached their limit: ${[...new Set(reached)].join(", ")}`);
    expect(new Set(reached)).toEqual(new Set(["rate:queue", "rate:key"]));
    // ... and the same replay flags a history in which one release is seen one claim too late.
    const late = delayOneRelease(transitions, scopes, limits);
    expect(late, "found a claim at a cap preceded by a release in that scope").not.toBeNull();
    expect(replay(late!, scopes, limits).violations.length).toBeGreaterThan(0);

    // For the record: how many releases id order would have credited before claims that
    // committed ahead of them (those claims did not see them).
    const byId = [...transitions].sort((a, b) => a.id - b.id);
    const inIdOrder = replay(byId, scopes, limits);
    const suffixMinSeq: number[] = [];
    for (let i = byId.length - 1, min = Infinity; i >= 0; i--) {
      const t = byId[i]!;
      if (t.holdsSlot && t.from === "QUEUED") min = Math.min(min, t.commitSeq);
      suffixMinSeq[i] = min;
    }
    const early = byId.filter((t, i) => !t.holdsSlot && (t.from === "RUNNING" || t.from === "PAUSED") && (suffixMinSeq[i + 1] ?? Infinity) < t.commitSeq).length;
    log(`id order: ${early} releases credited ahead of claims that committed before them; violations by id order ${inIdOrder.violations.length}`);

    // The crashed worker: each lease it held ran out and was reclaimed (requeued or failed
    // with "lease expired"), unless the execution was killed first.
    const dead = crashed[0]!;
    const leftRunning = dead.running.map((id) => byExecution.get(id)!.findLast((t) => t.from === "RUNNING" && t.workerId === dead.workerId && t.to !== "PAUSED"));
    expect(leftRunning.every((t) => t !== undefined && (t.to === "KILLED" || /^lease expired/.test(t.reason ?? "")))).toBe(true);
    expect(leftRunning.filter((t) => /^lease expired/.test(t?.reason ?? "")).length).toBeGreaterThan(0);

    // The run exercised what it claims to: pauses both ways, expiries, kills, admission, depth 2.
    const count = (f: (t: Transition) => boolean) => transitions.filter(f).length;
    const exercised = {
      claims: count((t) => t.from === "QUEUED" && t.to === "RUNNING"),
      pausedKeptSlot: count((t) => t.from === "PAUSED" && t.to === "QUEUED" && t.holdsSlot),
      pausedReleasedThenQueued: count((t) => t.from === "PAUSED" && t.to === "QUEUED" && !t.holdsSlot),
      leaseExpiries: count((t) => /^lease expired/.test(t.reason ?? "")),
      kills: count((t) => t.to === "KILLED"),
      cancelledAtAdmission: count((t) => t.from === null && t.to === "CANCELLED"),
      failedByWorker: count((t) => t.from === "RUNNING" && t.to === "FAILED" && t.reason !== "lease expired"),
      depth2Claims: count((t) => t.from === "QUEUED" && t.to === "RUNNING" && placements.get(t.executionId)!.depth === 2),
      accessRequestClaims: count((t) => t.from === "QUEUED" && t.to === "RUNNING" && placements.get(t.executionId)!.kind === "access_request"),
    };
    log(`exercised ${JSON.stringify(exercised)}`);
    for (const [what, n] of Object.entries(exercised)) expect(n, what).toBeGreaterThan(0);
    expect(exercised.claims).toBeGreaterThan(TOTAL * 0.6);

    // For the record: children that started after an ancestor had been killed (a child
    // submitted while its parent was being killed escapes the kill's cascade).
    const killedAt = new Map(transitions.filter((t) => t.to === "KILLED").map((t) => [t.executionId, t.commitSeq]));
    const escaped = transitions.filter((t) => {
      if (t.to !== "RUNNING" || t.from !== "QUEUED") return false;
      const p = placements.get(t.executionId)!;
      return [p.parentId, p.rootId].some((a) => a !== null && (killedAt.get(a) ?? Infinity) < t.commitSeq);
    });
    log(`children started after an ancestor was killed: ${new Set(escaped.map((t) => t.executionId)).size}`);

    const stat = await db().query<{ deadlocks: number; xact_rollback: number }>("SELECT deadlocks, xact_rollback FROM pg_stat_database WHERE datname = current_database()");
    log(`postgres: ${JSON.stringify(stat.rows[0])} (deadlocks are detected and retried; each costs deadlock_timeout)`);

    // Nothing the counters say disagrees with a recount.
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }, 180_000);
});
