import { describe, expect, it } from "vitest";
import * as register from "../../app/api/workers/register/route";
import * as claim from "../../app/api/workers/claim/route";
import * as heartbeat from "../../app/api/workers/heartbeat/route";
import * as complete from "../../app/api/workers/complete/route";
import * as kill from "../../app/api/executions/[id]/kill/route";
import { prisma } from "../../lib/db/client";
import { mintToken } from "../../lib/auth/tokens";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, queue } from "./helpers/fixtures";

describe("worker protocol over HTTP", () => {
  it("an empty claim answers with a Retry-After backoff; a long poll wakes when work arrives", async () => {
    const w = await apiWorld("protocol");
    const reg = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "w", queues: ["default"] } });
    const workerId = reg.json.workerId;

    const empty = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 1, idleRounds: 3 } });
    expect(empty.json.claimed).toEqual([]);
    expect(empty.headers.get("retry-after")).toBe("8");

    const waiting = call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 1, waitMs: 20_000 } });
    await new Promise((r) => setTimeout(r, 300));
    const submitted = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, payload: { sleepMs: 1 } });
    const woke = await waiting;
    expect(woke.json.claimed.map((c: { id: string }) => c.id)).toEqual([submitted.id]);
    expect(woke.headers.get("retry-after")).toBeNull();
    const lease = woke.json.claimed[0];

    // Kill from the API; the worker learns it on its next heartbeat, and its completion is refused.
    await call(kill.POST, "POST", `/api/executions/${lease.id}/kill`, { token: w.tokens.adminA, params: { id: lease.id } });
    const beat = await call(heartbeat.POST, "POST", "/api/workers/heartbeat", { token: w.tokens.workerA, body: { workerId, leases: [{ executionId: lease.id, leaseToken: lease.leaseToken }] } });
    expect(beat.status).toBe(409);
    expect(beat.json).toMatchObject({ code: "killed", results: [{ ok: false, code: "killed" }] });
    const done = await call(complete.POST, "POST", "/api/workers/complete", { token: w.tokens.workerA, body: { workerId, outcomes: [{ executionId: lease.id, leaseToken: lease.leaseToken, status: "SUCCESS" }] } });
    expect(done.status).toBe(409);
    expect(done.json.results[0]).toMatchObject({ ok: false, code: "killed" });
  });

  it("a worker token only sees its org's work and cannot act as another token's worker", async () => {
    const w = await apiWorld("scoping");
    const other = (await mintToken(prisma(), { kind: "WORKER", name: "other", orgId: w.b.id })).token;
    const regA = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "a", queues: [] } });
    await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    const asA = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId: regA.json.workerId, limit: 10 } });
    expect(asA.json.claimed.every((c: { orgId: string }) => c.orgId === w.a.id)).toBe(true);
    const hijack = await call(claim.POST, "POST", "/api/workers/claim", { token: other, body: { workerId: regA.json.workerId, limit: 10 } });
    expect(hijack.status).toBe(404);
  });

  it("a claim without queues takes the queues the worker registered for; one that names queues takes those", async () => {
    const w = await apiWorld("registered-queues");
    await queue(w.a.id, "urgent");
    const inDefault = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    const inUrgent = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "urgent" });
    const reg = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "urgent-only", queues: ["urgent"] } });
    const workerId = reg.json.workerId;

    const registered = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 10 } });
    expect(registered.json.claimed.map((c: { id: string }) => c.id)).toEqual([inUrgent.id]);
    const named = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 10, queues: ["default"] } });
    expect(named.json.claimed.map((c: { id: string }) => c.id)).toEqual([inDefault.id]);
  });

  // Both were answered ok: true although only one was applied (and PostgreSQL picked which).
  it("two outcomes for one lease in one request: the first counts, the second is refused as a later report would be", async () => {
    const w = await apiWorld("duplicate-outcomes");
    const reg = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "w", queues: [] } });
    const workerId = reg.json.workerId;
    for (const via of ["claim", "complete"] as const) {
      const { id } = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
      const got = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 1 } });
      const lease = got.json.claimed[0];
      expect(lease.id).toBe(id);
      const outcomes = [
        { executionId: id, leaseToken: lease.leaseToken, status: "SUCCESS" },
        { executionId: id, leaseToken: lease.leaseToken, status: "FAILED", error: "second thoughts" },
      ];
      const reply = via === "claim"
        ? await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 0, complete: outcomes } })
        : await call(complete.POST, "POST", "/api/workers/complete", { token: w.tokens.workerA, body: { workerId, outcomes } });
      expect(via === "claim" ? reply.json.completed : reply.json.results, via).toEqual([
        { executionId: id, ok: true },
        { executionId: id, ok: false, code: "lease_lost", state: "SUCCESS" },
      ]);
      const row = await db().query("SELECT state, reason FROM execution WHERE id = $1", [id]);
      expect(row.rows[0], via).toEqual({ state: "SUCCESS", reason: null });
    }
  });
});
