import { describe, expect, it } from "vitest";
import * as rerun from "../../app/api/executions/[id]/rerun/route";
import * as one from "../../app/api/executions/[id]/route";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, trigger, worker } from "./helpers/fixtures";

// Rerun (docs/lifecycle.md, "Rerun"): a finished execution submitted again as a new one, with
// its payload, placement and policy, through full admission — never around a limit.

type World = Awaited<ReturnType<typeof apiWorld>>;

const post = (w: World, id: string, token: string | null = w.tokens.memberA) => call(rerun.POST, "POST", `/api/executions/${id}/rerun`, { token, params: { id } });

async function finish(orgId: string, id: string, status: "SUCCESS" | "FAILED") {
  const w = await worker();
  const { claimed } = await claimExecutions(db(), { workerId: w, limit: 10, orgId });
  const mine = claimed.find((c) => c.id === id)!;
  await completeExecutions(db(), w, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: c.id === id ? status : ("SUCCESS" as const) })));
  return mine;
}

describe("rerun", () => {
  it("makes a new execution from a failed one, linked to it, with its payload, queue and policy; the original is unchanged", async () => {
    const w = await apiWorld("rerun");
    const f = await flow(w.a.id, w.a.projectId);
    const original = await submitExecution(db(), {
      orgId: w.a.id, projectId: w.a.projectId, flowId: f, payload: { n: 7 }, priority: 3, concurrencyKey: "c1",
      retry: { maxAttempts: 1, backoff: { initialMs: 10, factor: 1, maxMs: 10 }, jitter: 0 },
    });
    await finish(w.a.id, original.id, "FAILED");
    const res = await post(w, original.id);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ state: "QUEUED", deduplicatedBy: null });
    const made = await call(one.GET, "GET", `/api/executions/${res.json.id}`, { token: w.tokens.memberA, params: { id: res.json.id } });
    expect(made.json).toMatchObject({
      rerunOf: original.id, flowId: f, payload: { n: 7 }, priority: 3, concurrencyKey: "c1", state: "QUEUED", attempts: 0,
      retry: { maxAttempts: 1, backoff: { initialMs: 10, factor: 1, maxMs: 10 }, jitter: 0 },
    });
    expect(made.json.transitions[0]).toMatchObject({ to: "QUEUED", reason: `rerun of ${original.id}` });
    const before = await call(one.GET, "GET", `/api/executions/${original.id}`, { token: w.tokens.memberA, params: { id: original.id } });
    expect(before.json).toMatchObject({ state: "FAILED", rerunOf: null });
    // A rerun of the rerun names the rerun.
    await finish(w.a.id, res.json.id, "SUCCESS");
    const again = await post(w, res.json.id);
    expect((await db().query("SELECT rerun_of FROM execution WHERE id = $1", [again.json.id])).rows[0].rerun_of).toBe(res.json.id);
  });

  it("refuses a live execution (409 not_finished), another org's (404) and a caller without access (403)", async () => {
    const w = await apiWorld("rerun-refused");
    const live = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect(await post(w, live.id).then((r) => [r.status, r.json.code])).toEqual([409, "not_finished"]);
    expect((await post(w, live.id, w.tokens.memberB)).status).toBe(404);
    expect((await post(w, live.id, null)).status).toBe(401);
    const n = (await db().query("SELECT count(*)::int AS n FROM execution WHERE rerun_of = $1", [live.id])).rows[0].n;
    expect(n).toBe(0);
  });

  it("passes full admission: the trigger lock, the flow's behavior at its limit, the backlog cap", async () => {
    const w = await apiWorld("rerun-admission");
    // Trigger lock: while the trigger has a live run, a rerun of its finished one is refused.
    const f = await flow(w.a.id, w.a.projectId);
    const t = await trigger(w.a.id, f);
    const first = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, triggerId: t });
    await finish(w.a.id, first.id, "FAILED");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, triggerId: t }); // live again
    expect(await post(w, first.id).then((r) => [r.status, r.json.code])).toEqual([409, "trigger_locked"]);
    // A flow at its limit with behavior CANCEL: the rerun is created CANCELLED, as a submission would be.
    const capped = await flow(w.a.id, w.a.projectId, { limit: 1, behavior: "CANCEL" });
    const done = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: capped });
    await finish(w.a.id, done.id, "SUCCESS");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: capped }); // takes the limit
    const cancelled = await post(w, done.id);
    expect([cancelled.status, cancelled.json.state]).toEqual([201, "CANCELLED"]);
    // Backlog cap of the org, reached by what is queued: 429 and nothing created.
    const plain = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    await finish(w.a.id, plain.id, "SUCCESS");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    const queued = (await db().query("SELECT count(*)::int AS n FROM execution WHERE org_id = $1 AND state = 'QUEUED'", [w.a.id])).rows[0].n;
    await db().query("UPDATE organization SET max_queued = $2 WHERE id = $1", [w.a.id, queued]);
    const full = await post(w, plain.id);
    expect([full.status, full.json.code]).toEqual([429, "backlog_full"]);
    await db().query("UPDATE organization SET max_queued = NULL WHERE id = $1", [w.a.id]);
  });
});
