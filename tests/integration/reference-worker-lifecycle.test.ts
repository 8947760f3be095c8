import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as complete from "../../app/api/workers/complete/route";
import { resetEnvCache } from "../../lib/core/env";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, inFlight, stateOf } from "./helpers/fixtures";
import { startWorkerApiServer, type WorkerApiServer } from "./helpers/worker-api-server";

// `npm run worker` as a real process against the worker API over HTTP, with a short lease
// (LEASE_TTL_MS for the app under test): a worker whose heartbeats stop loses its leases —
// the executions are queued again or fail `lease expired`, the slots come free — and when it
// comes back it stops the commands and cannot report them; SIGTERM releases what it holds.

const LEASE_TTL_MS = 2_000;
process.env.LEASE_TTL_MS = String(LEASE_TTL_MS);
resetEnvCache();

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const WORKER_SCRIPT = path.join(REPO_ROOT, "scripts/worker.ts");

let server: WorkerApiServer;
const spawned: ChildProcess[] = [];

beforeAll(async () => {
  server = await startWorkerApiServer({ sweepEveryMs: 200 });
});
afterEach(() => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(async () => {
  await server.close();
});

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(token: string, args: string[]): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT, "--url", server.url, "--token", token, "--allow-command", "sh", ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => Promise<boolean> | boolean, what: string, worker?: WorkerProcess) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${worker ? `; worker output:\n${worker.output()}` : ""}`);
}

/**
 * Whether the process still runs. A killed command whose shell died with it is reparented to
 * PID 1, which in some containers never reaps it: a zombie (state Z) has stopped running.
 */
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return true; // no /proc (not Linux): signal 0 reached it
  }
};

/** A command that records its shell's pid, then runs until stopped (or until `go` exists). */
function longCommand(dir: string, name: string, go?: string) {
  const pidFile = path.join(dir, `${name}.pid`);
  const wait = go ? `while [ ! -e ${go} ]; do sleep 0.05; done` : "exec sleep 60";
  return { command: `sh -c 'echo $$ > ${pidFile}; ${wait}'`, pid: () => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) || null : null) };
}

async function lastTransition(id: string) {
  const { rows } = await db().query<{ from_state: string; to_state: string; reason: string | null; worker_id: string | null }>(
    "SELECT from_state, to_state, reason, worker_id FROM execution_transition WHERE execution_id = $1 ORDER BY id DESC LIMIT 1",
    [id],
  );
  return rows[0];
}

describe("the reference worker process", () => {
  it("loses its leases when its heartbeats stop; when it comes back it stops the commands and cannot report them", async () => {
    const w = await apiWorld("lifecycle-expiry");
    const dir = await mkdtemp(path.join(os.tmpdir(), "slotwise-expiry-"));
    const once = longCommand(dir, "once");
    const retried = longCommand(dir, "retried");
    const failing = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, maxAttempts: 1, payload: { command: once.command } })).id;
    const requeued = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, maxAttempts: 3, payload: { command: retried.command } })).id;

    const worker = startWorker(w.tokens.workerA!, ["--concurrency", "2", "--heartbeat-ms", "250", "--name", "stalls"]);
    await until(() => once.pid() !== null && retried.pid() !== null, "both commands to start", worker);
    const leases = await db().query<{ id: string; lease_token: number; lease_worker_id: string }>(
      "SELECT id, lease_token, lease_worker_id FROM execution WHERE id = ANY($1::uuid[])",
      [[failing, requeued]],
    );
    const workerId = leases.rows[0]!.lease_worker_id;
    const tokenOf = new Map(leases.rows.map((r) => [r.id, r.lease_token]));
    // Heartbeats keep both running well past the lease TTL.
    await new Promise((r) => setTimeout(r, LEASE_TTL_MS * 1.5));
    expect([(await stateOf(failing)).state, (await stateOf(requeued)).state]).toEqual(["RUNNING", "RUNNING"]);

    // The worker freezes (its commands run on): no heartbeats, the leases run out, and the
    // app's sweeper reclaims the slots.
    worker.child.kill("SIGSTOP");
    await until(async () => (await stateOf(failing)).state === "FAILED" && (await stateOf(requeued)).state === "QUEUED", "both leases to expire");
    expect(await stateOf(failing)).toMatchObject({ state: "FAILED", reason: "lease expired", holds_slot: false });
    expect(await stateOf(requeued)).toMatchObject({ state: "QUEUED", holds_slot: false, attempts: 1 });
    expect(await lastTransition(requeued)).toMatchObject({ from_state: "RUNNING", to_state: "QUEUED", reason: "lease expired (attempt 1); queued again", worker_id: workerId });
    expect(await inFlight(w.a.id)).toBe(0);
    expect([isAlive(once.pid()!), isAlive(retried.pid()!)]).toEqual([true, true]);

    // It comes back: a late report with its old lease is refused and changes nothing …
    const late = await call(complete.POST, "POST", "/api/workers/complete", {
      token: w.tokens.workerA,
      body: { workerId, outcomes: [{ executionId: failing, leaseToken: tokenOf.get(failing)!, status: "SUCCESS" }, { executionId: requeued, leaseToken: tokenOf.get(requeued)!, status: "SUCCESS" }] },
    });
    expect(late.status).toBe(409);
    expect(late.json.results).toEqual([
      { executionId: failing, ok: false, code: "lease_lost", state: "FAILED" },
      { executionId: requeued, ok: false, code: "lease_lost", state: "QUEUED" },
    ]);
    expect(await stateOf(failing)).toMatchObject({ state: "FAILED", reason: "lease expired" });
    // … and its next heartbeat tells it the leases are lost: it stops both commands.
    const [firstPid, retriedPid] = [once.pid()!, retried.pid()!];
    worker.child.kill("SIGCONT");
    await until(() => !isAlive(firstPid) && !isAlive(retriedPid), "the lost executions' processes to be gone", worker);
    expect(worker.output()).toContain(`stopping ${failing}: lease_lost`);
    // The execution with attempts left runs again (attempt 2, a new lease); the failed one stays failed.
    await until(async () => (await stateOf(requeued)).state === "RUNNING" && (await stateOf(requeued)).attempts === 2, "the requeued execution to run again", worker);
    expect(await stateOf(failing)).toMatchObject({ state: "FAILED", reason: "lease expired" });
    worker.child.kill("SIGKILL");
    await worker.exited;
  }, 120_000);

  it("SIGTERM: what finishes within the grace period is reported, the rest is stopped and released — queued again, no slot held, no attempt spent", async () => {
    const w = await apiWorld("lifecycle-shutdown");
    const dir = await mkdtemp(path.join(os.tmpdir(), "slotwise-shutdown-"));
    const go = path.join(dir, "go");
    const quick = longCommand(dir, "quick", go);
    const slow = [longCommand(dir, "slow-1"), longCommand(dir, "slow-2")];
    const submit = (command: string) => submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, payload: { command } }).then((r) => r.id);
    const finishing = await submit(quick.command);
    const released = [await submit(slow[0]!.command), await submit(slow[1]!.command)];

    const worker = startWorker(w.tokens.workerA!, ["--concurrency", "3", "--heartbeat-ms", "250", "--grace-ms", "4000", "--name", "stops"]);
    await until(() => [quick, ...slow].every((c) => c.pid() !== null), "all three commands to start", worker);
    const workerId = (await db().query<{ lease_worker_id: string }>("SELECT lease_worker_id FROM execution WHERE id = $1", [finishing])).rows[0]!.lease_worker_id;
    const pids = slow.map((c) => c.pid()!);
    expect(await inFlight(w.a.id)).toBe(3);

    worker.child.kill("SIGTERM");
    // Inside the grace period one execution finishes; it is reported as usual.
    await writeFile(go, "");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("released 2 unfinished execution(s)");

    expect(await stateOf(finishing)).toMatchObject({ state: "SUCCESS" });
    for (const id of released) {
      expect(await stateOf(id)).toMatchObject({ state: "QUEUED", holds_slot: false, attempts: 0 });
      expect(await lastTransition(id)).toEqual({ from_state: "RUNNING", to_state: "QUEUED", reason: "released by its worker: worker shutting down", worker_id: workerId });
    }
    expect(await inFlight(w.a.id)).toBe(0);
    expect(pids.map(isAlive)).toEqual([false, false]);
    const leases = await db().query("SELECT id FROM execution WHERE lease_worker_id = $1", [workerId]);
    expect(leases.rows).toEqual([]);
  }, 120_000);
  it("a worker SIGKILLed while its executions are paused leaves no slot to nobody: the platform resumes them on time and the next worker continues them", async () => {
    const w = await apiWorld("lifecycle-paused-kill");
    // Two slots, both kept by pausing executions; three more wait behind them.
    await db().query("UPDATE organization SET max_concurrency = 2, max_paused_slots = 0 WHERE id = $1", [w.a.id]);
    const submit = (payload: unknown) => submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, payload }).then((r) => r.id);
    const pausing = [await submit({ sleepMs: 400, pause: { afterMs: 100, forMs: 2_500 } }), await submit({ sleepMs: 400, pause: { afterMs: 100, forMs: 2_500 } })];
    const first = startWorker(w.tokens.workerA!, ["--concurrency", "4", "--heartbeat-ms", "250", "--name", "pauser"]);
    await until(async () => (await Promise.all(pausing.map(stateOf))).every((e) => e.state === "PAUSED" && e.holds_slot), "both to pause keeping their slots", first);
    const waiting = [await submit({ sleepMs: 50 }), await submit({ sleepMs: 50 }), await submit({ sleepMs: 50 })];
    first.child.kill("SIGKILL");
    await first.exited;

    // Nobody may take the kept slots, and nothing is lost, while the pauses wait for their time.
    let most = 0;
    const sample = setInterval(() => void inFlight(w.a.id).then((n) => (most = Math.max(most, n))), 50);
    try {
      expect(await inFlight(w.a.id)).toBe(2);
      const second = startWorker(w.tokens.workerA!, ["--concurrency", "4", "--heartbeat-ms", "250", "--name", "next"]);
      await new Promise((r) => setTimeout(r, 500));
      expect((await Promise.all(waiting.map(stateOf))).map((e) => e.state)).toEqual(["QUEUED", "QUEUED", "QUEUED"]);
      await until(async () => (await Promise.all([...pausing, ...waiting].map(stateOf))).every((e) => e.state === "SUCCESS"), "all five to succeed", second);
    } finally {
      clearInterval(sample);
    }
    expect(most).toBeLessThanOrEqual(2);
    for (const id of pausing) {
      expect(await stateOf(id)).toMatchObject({ state: "SUCCESS", attempts: 1 });
      const { rows } = await db().query<{ t: string }>(
        "SELECT from_state || '>' || to_state || CASE WHEN holds_slot THEN '+' ELSE '' END AS t FROM execution_transition WHERE execution_id = $1 ORDER BY id",
        [id],
      );
      // Resumed by the platform in the slot it kept, continued by the second worker.
      expect(rows.map((r) => r.t).slice(1)).toEqual(["QUEUED>RUNNING+", "RUNNING>PAUSED+", "PAUSED>QUEUED+", "QUEUED>RUNNING+", "RUNNING>SUCCESS"]);
    }
    expect(await inFlight(w.a.id)).toBe(0);
  }, 120_000);
});
