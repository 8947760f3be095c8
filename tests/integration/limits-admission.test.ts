import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import * as executions from "../../app/api/executions/route";
import * as flowRoute from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { killExecution } from "../../lib/dispatch/kill";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution, type SubmitInput } from "../../lib/dispatch/submit";
import { claimWithWait } from "../../lib/workers/claim-with-wait";
import { claimBody } from "../../lib/workers/protocol";
import { apiWorld, call } from "./helpers/api";
import { db, flow, org, worker } from "./helpers/fixtures";

// Admission v2 (docs/limits.md): delayed start, idempotency keys, debounce and backlog caps —
// each through the API a client uses where its replies matter, and under concurrent
// submitters in separate processes where a race could create two of something.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SUBMITTER = path.resolve(import.meta.dirname, "helpers/submit-process.ts");

/** `processes` processes submit `input` `times` times each, all at once; every result. */
async function submitFromProcesses(processes: number, times: number, input: SubmitInput): Promise<Record<string, unknown>[]> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--import", "tsx", SUBMITTER, JSON.stringify(input), String(times)], { cwd: path.resolve(import.meta.dirname, "../.."), env: process.env, stdio: ["ignore", "pipe", "inherit", "ipc"] }),
  );
  const results: Record<string, unknown>[] = [];
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          if (line === "READY") resolve();
          if (line.startsWith("RESULT ")) results.push(JSON.parse(line.slice(7)) as Record<string, unknown>);
        });
      }),
  );
  await Promise.all(ready);
  // "close", not "exit": a child can exit before its last lines have been read from its stdout.
  const exited = children.map((child) => new Promise((resolve) => child.once("close", resolve)));
  for (const child of children) child.send("go");
  await Promise.all(exited);
  return results;
}

const countOf = async (sql: string, params: unknown[]) => (await db().query<{ n: number }>(sql, params)).rows[0]!.n;

describe("delayed start", () => {
  it("is queued but not startable before its time, says so, and a waiting claimer wakes on time", async () => {
    const w = await apiWorld("delay");
    const a = w.a.id;
    const res = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, delayMs: 700 } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ state: "QUEUED", deduplicatedBy: null });
    const startAfter = new Date(res.json.startAfter).getTime();
    const workerId = await worker({ orgId: a });
    expect((await claimExecutions(db(), { workerId, limit: 5, orgId: a })).claimed).toEqual([]);
    expect(await explainExecution(db(), res.json.id, a)).toMatchObject([{ code: "scheduled", startAfter: res.json.startAfter }, { code: "no_worker" }].slice(0, 1));
    const reply = await claimWithWait({ id: workerId, orgId: a, queues: [] }, claimBody.parse({ workerId, limit: 5, waitMs: 20_000 }), new AbortController().signal);
    expect(reply.claimed.map((c) => c.id)).toEqual([res.json.id]);
    expect(Date.now()).toBeGreaterThanOrEqual(startAfter - 5);
    expect(Date.now()).toBeLessThan(startAfter + 3_000);
  });

  it("a scheduled execution can be killed; no lane counts it", async () => {
    const acme = await org();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, delayMs: 60_000 });
    await killExecution(db(), { executionId: id, actor: "test" });
    expect((await db().query("SELECT state, waiting_lane_id, lane_id FROM execution WHERE id = $1", [id])).rows[0]).toEqual({ state: "KILLED", waiting_lane_id: null, lane_id: null });
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("refuses times in the past or more than 366 days ahead, and both ways at once, naming the field", async () => {
    const w = await apiWorld("delay-422");
    const a = w.a.id;
    const before = await countOf("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [a]);
    const cases: [Record<string, unknown>, string][] = [
      [{ startAfter: new Date(Date.now() - 3_600_000).toISOString() }, "startAfter"],
      [{ startAfter: new Date(Date.now() + 400 * 86_400_000).toISOString() }, "startAfter"],
      [{ startAfter: "tomorrow" }, "startAfter"],
      [{ delayMs: -1 }, "delayMs"],
      [{ delayMs: 367 * 86_400_000 }, "delayMs"],
      [{ delayMs: 10, startAfter: new Date(Date.now() + 60_000).toISOString() }, "delayMs"],
    ];
    for (const [timing, field] of cases) {
      const res = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, ...timing } });
      expect([res.status, res.json.errors?.map((e: { field: string }) => e.field)], JSON.stringify(timing)).toEqual([422, [field]]);
    }
    expect(await countOf("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [a])).toBe(before);
  });
});

describe("idempotency keys", () => {
  it("a repeat creates nothing and answers 200 with the first execution; keys are per org and expire", async () => {
    const w = await apiWorld("idem");
    const submit = (orgId: string, projectId: string, token: string | null, extra: object = {}) =>
      call(executions.POST, "POST", "/api/executions", { token, body: { orgId, projectId, idempotencyKey: "order-1", ...extra } });
    const first = await submit(w.a.id, w.a.projectId, w.tokens.memberA);
    expect([first.status, first.json.deduplicatedBy]).toEqual([201, null]);
    const again = await submit(w.a.id, w.a.projectId, w.tokens.memberA, { payload: { different: true } });
    expect([again.status, again.json.id, again.json.deduplicatedBy]).toEqual([200, first.json.id, "idempotencyKey"]);
    const elsewhere = await submit(w.b.id, w.b.projectId, w.tokens.memberB);
    expect(elsewhere.status).toBe(201);
    await db().query("UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE org_id = $1", [w.a.id]);
    const afterRetention = await submit(w.a.id, w.a.projectId, w.tokens.memberA);
    expect(afterRetention.status).toBe(201);
    expect(afterRetention.json.id).not.toBe(first.json.id);
  });

  it("several processes submitting one key at once make exactly one execution", async () => {
    const acme = await org();
    const results = await submitFromProcesses(4, 3, { orgId: acme.id, projectId: acme.projectId, idempotencyKey: "race" });
    expect(results).toHaveLength(12);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.deduplicatedBy === null)).toHaveLength(1);
    expect(await countOf("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [acme.id])).toBe(1);
  });
});

describe("debounce", () => {
  it("a submission while one waits replaces its payload and pushes its start back, never past maxDelayMs", async () => {
    const w = await apiWorld("debounce");
    const a = w.a.id;
    const f = await flow(a, w.a.projectId);
    const set = await call(flowRoute.PATCH, "PATCH", `/api/orgs/${a}/flows/${f}`, {
      token: w.tokens.adminA, params: { orgId: a, flowId: f }, body: { debounce: { source: "payload", path: "/userId", delayMs: 400, maxDelayMs: 900 } },
    });
    expect(set.json.debounce).toEqual({ source: "payload", path: "/userId", delayMs: 400, maxDelayMs: 900 });
    const submit = (payload: object) => call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, flowId: f, payload } });
    const first = await submit({ userId: "u1", n: 1 });
    expect(first.status).toBe(201);
    const firstAt = Date.now();
    let last = first;
    for (let n = 2; n <= 5; n++) {
      await sleep(200);
      last = await submit({ userId: "u1", n });
      expect([last.status, last.json.id, last.json.deduplicatedBy]).toEqual([200, first.json.id, "debounce"]);
    }
    // Pushed back each time, but capped at the first submission + 900 ms.
    expect(new Date(last.json.startAfter).getTime()).toBeLessThanOrEqual(firstAt + 900 + 50);
    expect(new Date(last.json.startAfter).getTime()).toBeGreaterThan(new Date(first.json.startAfter).getTime());
    const other = await submit({ userId: "u2" });
    expect([other.status, other.json.deduplicatedBy]).toEqual([201, null]);
    await sleep(Math.max(0, new Date(last.json.startAfter).getTime() - Date.now()) + 20);
    const claimed = (await claimExecutions(db(), { workerId: await worker(), limit: 5, orgId: a })).claimed;
    expect(claimed.find((c) => c.id === first.json.id)?.payload).toEqual({ userId: "u1", n: 5 });
    // Once it has started, the next submission with its key begins a new one.
    expect((await submit({ userId: "u1", n: 6 })).status).toBe(201);
  });

  it("refuses impossible settings and a start the flow would set itself, naming the field", async () => {
    const w = await apiWorld("debounce-422");
    const a = w.a.id;
    const f = await flow(a, w.a.projectId);
    const patch = (debounce: unknown) => call(flowRoute.PATCH, "PATCH", `/api/orgs/${a}/flows/${f}`, { token: w.tokens.adminA, params: { orgId: a, flowId: f }, body: { debounce } });
    const cases: [unknown, string][] = [
      [{ source: "payload", path: "/k", delayMs: 1000, maxDelayMs: 500 }, "debounce.maxDelayMs"],
      [{ source: "payload", delayMs: 100, maxDelayMs: 500 }, "debounce.path"],
      [{ source: "payload", path: "no-slash", delayMs: 100, maxDelayMs: 500 }, "debounce.path"],
      [{ source: "submission", path: "/k", delayMs: 100, maxDelayMs: 500 }, "debounce.path"],
      [{ source: "submission", delayMs: 0, maxDelayMs: 500 }, "debounce.delayMs"],
      [{ source: "submission", delayMs: 100, maxDelayMs: 8 * 86_400_000 }, "debounce.maxDelayMs"],
    ];
    for (const [debounce, field] of cases) {
      const res = await patch(debounce);
      expect([res.status, res.json.errors?.map((e: { field: string }) => e.field)], JSON.stringify(debounce)).toEqual([422, [field]]);
    }
    expect((await db().query("SELECT debounce_source FROM flow WHERE id = $1", [f])).rows[0].debounce_source).toBeNull();
    expect((await patch({ source: "submission", delayMs: 100, maxDelayMs: 500 })).status).toBe(200);
    const submit = (extra: object) => call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, flowId: f, ...extra } });
    expect((await submit({})).json.errors).toEqual([expect.objectContaining({ field: "debounceKey" })]);
    expect((await submit({ debounceKey: "k", delayMs: 50 })).json.errors).toEqual([expect.objectContaining({ field: "delayMs" })]);
    expect((await submit({ debounceKey: "k" })).status).toBe(201);
  });
});

describe("backlog caps", () => {
  it("a submission past the org's cap gets 429 backlog_full with Retry-After and creates nothing", async () => {
    const w = await apiWorld("backlog");
    const a = w.a.id;
    await db().query("UPDATE organization SET max_queued = 3 WHERE id = $1", [a]);
    const submit = (extra: object = {}) => call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, ...extra } });
    expect((await submit()).status).toBe(201);
    expect((await submit({ delayMs: 60_000 })).status).toBe(201);
    expect((await submit()).status).toBe(201);
    const refused = await submit();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused.json).toMatchObject({ code: "backlog_full", scope: "org", limit: 3, queued: 3 });
    expect(await countOf("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [a])).toBe(3);
    // Starting one makes room; 0 removes the cap; null falls back to the platform default.
    await claimExecutions(db(), { workerId: await worker(), limit: 1, orgId: a });
    expect((await submit()).status).toBe(201);
    await db().query("UPDATE organization SET max_queued = NULL WHERE id = $1", [a]);
    await db().query("UPDATE platform_settings SET default_max_queued = 2");
    try {
      expect((await submit()).status).toBe(429);
      await db().query("UPDATE organization SET max_queued = 0 WHERE id = $1", [a]);
      expect((await submit()).status).toBe(201);
    } finally {
      await db().query("UPDATE platform_settings SET default_max_queued = 0");
    }
  });

  it("a flow's cap counts the flow's backlog only", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId);
    await db().query("UPDATE flow SET max_queued = 2 WHERE id = $1", [f]);
    const input = { orgId: acme.id, projectId: acme.projectId, flowId: f };
    await submitExecution(db(), input);
    await submitExecution(db(), input);
    await expect(submitExecution(db(), input)).rejects.toMatchObject({ status: 429, extra: { scope: "flow", limit: 2 } });
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
  });

  it("concurrent submitters in several processes never fill past the cap", async () => {
    const acme = await org();
    await db().query("UPDATE organization SET max_queued = 7 WHERE id = $1", [acme.id]);
    const results = await submitFromProcesses(4, 5, { orgId: acme.id, projectId: acme.projectId });
    const seen = JSON.stringify(results.filter((r) => !r.id && r.code !== "backlog_full"));
    expect(results, seen).toHaveLength(20);
    expect(results.filter((r) => r.id), seen).toHaveLength(7);
    expect(results.filter((r) => r.code === "backlog_full"), seen).toHaveLength(13);
    expect(await countOf("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [acme.id])).toBe(7);
  });
});
