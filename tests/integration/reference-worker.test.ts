import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as register from "../../app/api/workers/register/route";
import * as claim from "../../app/api/workers/claim/route";
import * as heartbeat from "../../app/api/workers/heartbeat/route";
import * as complete from "../../app/api/workers/complete/route";
import * as release from "../../app/api/workers/release/route";
import * as pause from "../../app/api/workers/pause/route";
import * as resume from "../../app/api/workers/resume/route";
import * as kill from "../../app/api/executions/[id]/kill/route";
import * as parallel from "../../app/api/private/lifecycle_management/parallel_execution_settings/route";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { submitExecution } from "../../lib/dispatch/submit";
import { ReferenceWorker } from "../../lib/reference-worker/reference-worker";
import { apiWorld, call } from "./helpers/api";
import { db, inFlight, stateOf } from "./helpers/fixtures";

/** Routes the worker's HTTP calls to the route handlers in-process. */
const routes: Record<string, (request: Request) => Promise<Response>> = {
  "/api/workers/register": register.POST,
  "/api/workers/claim": claim.POST,
  "/api/workers/heartbeat": heartbeat.POST,
  "/api/workers/complete": complete.POST,
  "/api/workers/release": release.POST,
  "/api/workers/pause": pause.POST,
  "/api/workers/resume": resume.POST,
};
const inProcessFetch = ((input: string | URL | Request, init?: RequestInit) => {
  const request = new Request(input, init);
  const handler = routes[new URL(request.url).pathname];
  if (!handler) throw new Error(`no route for ${request.url}`);
  return handler(request);
}) as typeof fetch;

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** An execution's history, PAUSED entries saying whether the slot was kept meanwhile. */
async function history(executionId: string): Promise<string[]> {
  const { rows } = await db().query<{ from_state: string | null; to_state: string; holds_slot: boolean }>(
    "SELECT from_state, to_state, holds_slot FROM execution_transition WHERE execution_id = $1 ORDER BY id",
    [executionId],
  );
  return rows.map((t) => `${t.from_state ?? "submit"}→${t.to_state}${t.to_state === "PAUSED" || (t.from_state === "PAUSED" && t.to_state === "QUEUED") ? (t.holds_slot ? " (slot kept)" : " (slot free)") : ""}`);
}

describe("the reference worker", () => {
  it("runs commands (allowed prefixes only) and simulated work: success, failure, timeout, kill mid-run, shutdown", async () => {
    const w = await apiWorld("worker");
    const dir = await mkdtemp(path.join(os.tmpdir(), "slotwise-worker-"));
    const pidFile = path.join(dir, "pid");
    const worker = new ReferenceWorker({
      baseUrl: "http://localhost", token: w.tokens.workerA!, name: "test", queues: [], concurrency: 6,
      allowedCommands: ["echo", "sh"], defaultTimeoutMs: 60_000, heartbeatMs: 200, waitMs: 500, releaseAfterMs: 10_000, fetch: inProcessFetch,
    });
    const submit = (payload: unknown) => submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, payload }).then((r) => r.id);
    const ok = await submit({ command: "echo hello" });
    const failing = await submit({ command: "sh -c 'exit 3'" });
    const slow = await submit({ command: "sh -c 'sleep 5'", timeoutMs: 300 });
    const forbidden = await submit({ command: "rm -rf /tmp/nothing-here" });
    const killed = await submit({ command: `sh -c 'echo $$ > ${pidFile}; exec sleep 30'` });
    const simulated = await submit({ sleepMs: 50 });
    await worker.start();

    await until(async () => (await stateOf(ok)).state === "SUCCESS", "echo to succeed");
    const done = await db().query("SELECT result FROM execution WHERE id = $1", [ok]);
    expect(done.rows[0].result).toMatchObject({ exitCode: 0, stdout: "hello\n" });
    await until(async () => (await stateOf(failing)).state === "FAILED", "exit 3 to fail");
    expect((await stateOf(failing)).reason).toBe("exit code 3");
    await until(async () => (await stateOf(slow)).state === "FAILED", "the timeout");
    expect((await stateOf(slow)).reason).toBe("timed out after 300 ms");
    await until(async () => (await stateOf(forbidden)).state === "FAILED", "the forbidden command to fail");
    expect((await stateOf(forbidden)).reason).toContain("not allowed");
    await until(async () => (await stateOf(simulated)).state === "SUCCESS", "simulated work");

    await until(async () => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", "the long command to start");
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(isAlive(pid)).toBe(true);
    await call(kill.POST, "POST", `/api/executions/${killed}/kill`, { token: w.tokens.adminA, params: { id: killed } });
    await until(async () => !isAlive(pid), "the killed command's process to be gone");
    expect((await stateOf(killed)).state).toBe("KILLED");

    // Graceful shutdown: work in hand is finished and reported.
    const last = await submit({ sleepMs: 300 });
    await until(async () => (await stateOf(last)).state === "RUNNING", "the last execution to start");
    await worker.stop();
    expect((await stateOf(last)).state).toBe("SUCCESS");
  }, 60_000);

  it("pauses pausing payloads as delays the platform owns: resumed on time in the slot kept or through dispatch; killed while paused; the worker gone meanwhile", async () => {
    const w = await apiWorld("pausing");
    const lines: string[] = [];
    const config = {
      baseUrl: "http://localhost", token: w.tokens.workerA!, name: "pauser", queues: [], concurrency: 4,
      allowedCommands: [], defaultTimeoutMs: 60_000, heartbeatMs: 200, waitMs: 500, fetch: inProcessFetch, log: (line: string) => lines.push(line),
    };
    const worker = new ReferenceWorker({ ...config, releaseAfterMs: 10_000 });
    const submit = (payload: unknown) => submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, payload }).then((r) => r.id);
    const setMaxPausedSlots = (n: number) =>
      call(parallel.PUT, "PUT", `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, { token: w.tokens.adminA, body: { max_paused_slots: n } });
    await worker.start();

    // max_paused_slots 0: the paused execution keeps its slot; the platform resumes it on time,
    // still holding the slot, and a claim continues it (the rest of its work, no second pause).
    expect((await setMaxPausedSlots(0)).status).toBe(200);
    const kept = await submit({ sleepMs: 300, pause: { afterMs: 100, forMs: 1_500 } });
    await until(async () => (await stateOf(kept)).state === "PAUSED", "the first pause");
    expect((await db().query("SELECT holds_slot, pause_kind FROM execution WHERE id = $1", [kept])).rows[0]).toEqual({ holds_slot: true, pause_kind: "delay" });
    expect(lines.some((l) => l.startsWith(`paused ${kept} for 1500 ms (it keeps its slot)`))).toBe(true);
    expect(await inFlight(w.a.id)).toBe(1);
    await until(async () => (await stateOf(kept)).state === "SUCCESS", "the resumed execution to succeed");
    expect(await history(kept)).toEqual(["submit→QUEUED", "QUEUED→RUNNING", "RUNNING→PAUSED (slot kept)", "PAUSED→QUEUED (slot kept)", "QUEUED→RUNNING", "RUNNING→SUCCESS"]);
    expect((await stateOf(kept)).attempts).toBe(1);

    // max_paused_slots 1: the slot is free while paused; the resume queues it ahead of new work,
    // it is claimed again and runs the rest without pausing a second time.
    expect((await setMaxPausedSlots(1)).status).toBe(200);
    const freed = await submit({ sleepMs: 300, pause: { afterMs: 100, forMs: 1_500 } });
    await until(async () => (await stateOf(freed)).state === "PAUSED", "the second pause");
    expect((await stateOf(freed)).holds_slot).toBe(false);
    expect(await inFlight(w.a.id)).toBe(0);
    await until(async () => (await stateOf(freed)).state === "SUCCESS", "the re-dispatched execution to succeed");
    expect(await history(freed)).toEqual([
      "submit→QUEUED", "QUEUED→RUNNING", "RUNNING→PAUSED (slot kept)", "PAUSED→PAUSED (slot free)", "PAUSED→QUEUED (slot free)", "QUEUED→RUNNING", "RUNNING→SUCCESS",
    ]);
    expect((await stateOf(freed)).attempts).toBe(1);

    // Killed while paused: nothing for the worker to do (it let the execution go at the pause).
    expect((await setMaxPausedSlots(0)).status).toBe(200);
    const killed = await submit({ sleepMs: 300, pause: { afterMs: 100, forMs: 1_500 } });
    await until(async () => (await stateOf(killed)).state === "PAUSED", "the third pause");
    expect((await call(kill.POST, "POST", `/api/executions/${killed}/kill`, { token: w.tokens.adminA, params: { id: killed } })).status).toBe(200);
    expect(await history(killed)).toEqual(["submit→QUEUED", "QUEUED→RUNNING", "RUNNING→PAUSED (slot kept)", "PAUSED→KILLED"]);
    expect(await inFlight(w.a.id)).toBe(0);
    await worker.stop();

    // The worker stops while its execution is paused: the pause stays the platform's. At its
    // time it is resumed (no worker claims: the sweeper does it), keeping its slot, and the next
    // worker to claim continues it.
    const stopper = new ReferenceWorker({ ...config, releaseAfterMs: 0 });
    await stopper.start();
    const stopped = await submit({ sleepMs: 300, pause: { afterMs: 100, forMs: 1_000 } });
    await until(async () => (await stateOf(stopped)).state === "PAUSED", "the fourth pause");
    await stopper.stop();
    expect(await stateOf(stopped)).toMatchObject({ state: "PAUSED", holds_slot: true });
    await until(async () => (await sweepOnce(db())).pauses > 0 || (await stateOf(stopped)).state !== "PAUSED", "the delay to pass");
    expect(await stateOf(stopped)).toMatchObject({ state: "QUEUED", holds_slot: true });
    expect(await inFlight(w.a.id)).toBe(1);
    const next = new ReferenceWorker({ ...config, name: "next", releaseAfterMs: 10_000 });
    await next.start();
    await until(async () => (await stateOf(stopped)).state === "SUCCESS", "the next worker to finish it");
    await next.stop();
    expect(await history(stopped)).toEqual(["submit→QUEUED", "QUEUED→RUNNING", "RUNNING→PAUSED (slot kept)", "PAUSED→QUEUED (slot kept)", "QUEUED→RUNNING", "RUNNING→SUCCESS"]);
  }, 60_000);
});
