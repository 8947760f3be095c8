import { describe, expect, it } from "vitest";
import * as approve from "../../app/api/executions/[id]/resume/route";
import * as force from "../../app/api/executions/[id]/force/route";
import * as one from "../../app/api/executions/[id]/route";
import * as pause from "../../app/api/workers/pause/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { pauseExecution } from "../../lib/dispatch/pause-resume";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { apiWorld, call } from "./helpers/api";
import { db, inFlight, stateOf, worker } from "./helpers/fixtures";

// Pauses owned by the platform (docs/lifecycle.md, "Pauses"): a delay resumes on time, an
// approval comes from an org admin or times out (fail or resume), every resume goes back to the
// queue ahead of new work, and one that kept its slot holds it until a claim continues it.

type World = Awaited<ReturnType<typeof apiWorld>>;

async function running(w: World, n: number, orgMax: number, maxPausedSlots: number) {
  await db().query("UPDATE organization SET max_concurrency = $2, max_paused_slots = $3 WHERE id = $1", [w.a.id, orgMax, maxPausedSlots]);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId })).id);
  const wk = await worker();
  const { claimed } = await claimExecutions(db(), { workerId: wk, limit: n, orgId: w.a.id });
  return { wk, ids, claimed };
}

const approveAs = (w: World, id: string, token: string | null, body: unknown = {}) => call(approve.POST, "POST", `/api/executions/${id}/resume`, { token, params: { id }, body });

async function transitions(id: string) {
  return (await db().query<{ t: string; reason: string | null; actor: string | null }>(
    "SELECT coalesce(from_state::text, 'submit') || '>' || to_state || CASE WHEN holds_slot THEN '+' ELSE '' END AS t, reason, actor FROM execution_transition WHERE execution_id = $1 ORDER BY id",
    [id],
  )).rows;
}

describe("pauses owned by the platform", () => {
  it("an approval: explain says what it waits for; members may not approve, another org cannot see it; an admin approves, and the next claim continues it in the slot it kept, ahead of new work", async () => {
    const w = await apiWorld("pause-approval");
    const { wk, ids, claimed } = await running(w, 3, 2, 0);
    const [p] = claimed;
    expect(await pauseExecution(db(), { executionId: p!.id, leaseToken: p!.leaseToken, workerId: wk, wait: { kind: "approval", timeoutAt: null, onTimeout: "fail" } }))
      .toEqual({ state: "PAUSED", holdsSlot: true, waitingFor: "approval", until: null });
    const detail = await call(one.GET, "GET", `/api/executions/${p!.id}`, { token: w.tokens.memberA, params: { id: p!.id } });
    expect(detail.json.pause).toEqual({ waitingFor: "approval", until: null, onDue: null });
    expect(detail.json.explain).toEqual([expect.objectContaining({ code: "paused", waitingFor: "approval", holdsSlot: true, message: expect.stringContaining("Waiting for approval") })]);

    expect((await approveAs(w, p!.id, w.tokens.memberA)).status).toBe(403);
    expect((await approveAs(w, p!.id, w.tokens.memberB)).status).toBe(404);
    expect((await approveAs(w, ids[2]!, w.tokens.adminA)).json).toMatchObject({ code: "not_paused" });
    const approved = await approveAs(w, p!.id, w.tokens.adminA, { note: "looks right" });
    expect(approved.status).toBe(200);
    expect(approved.json).toEqual({ state: "QUEUED", holdsSlot: true });
    expect(await stateOf(p!.id)).toMatchObject({ state: "QUEUED", holds_slot: true });
    expect(await inFlight(w.a.id)).toBe(2);
    // Nothing else may take the slot it kept, and it cannot be forced (it is starting already).
    expect((await call(force.POST, "POST", `/api/executions/${p!.id}/force`, { token: w.tokens.adminA, params: { id: p!.id }, body: { reason: "x" } })).json).toMatchObject({ code: "holds_slot" });
    const waiting = await call(one.GET, "GET", `/api/executions/${p!.id}`, { token: w.tokens.memberA, params: { id: p!.id } });
    expect(waiting.json.explain[0]).toMatchObject({ code: "resuming" });
    const other = await worker();
    const next = await claimExecutions(db(), { workerId: other, limit: 5, orgId: w.a.id });
    expect(next.claimed.map((c) => ({ id: c.id, resumed: c.resumed, attempt: c.attempt }))).toEqual([{ id: p!.id, resumed: true, attempt: 1 }]);
    expect(await inFlight(w.a.id)).toBe(2);
    const history = await transitions(p!.id);
    expect(history.map((h) => h.t)).toEqual(["submit>QUEUED", "QUEUED>RUNNING+", "RUNNING>PAUSED+", "PAUSED>QUEUED+", "QUEUED>RUNNING+"]);
    expect(history[3]).toMatchObject({ actor: expect.stringContaining("admin-a-pause-approval"), reason: expect.stringMatching(/^approved by .* \(looks right\): keeps its slot/) });
    const audit = await db().query("SELECT action, entity_id FROM audit_event WHERE entity_id = $1", [p!.id]);
    expect(audit.rows).toEqual([{ action: "execution.resume", entity_id: p!.id }]);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("a delay: claims learn when to wake from it, and the platform resumes it when its time comes", async () => {
    const w = await apiWorld("pause-delay");
    const { wk, claimed } = await running(w, 1, 1, 0);
    const resumeAt = new Date(Date.now() + 60_000);
    await pauseExecution(db(), { executionId: claimed[0]!.id, leaseToken: claimed[0]!.leaseToken, workerId: wk, wait: { kind: "delay", resumeAt } });
    // Nothing to claim: the claim says when time alone makes something startable (its long poll sleeps until then).
    const idle = await claimExecutions(db(), { workerId: wk, limit: 1, orgId: w.a.id });
    expect(idle.claimed).toEqual([]);
    expect(idle.wakeAtMs).toBe(resumeAt.getTime());
    expect((await sweepOnce(db())).pauses).toBe(0);
    await db().query("UPDATE execution SET pause_until = now() - interval '1 millisecond' WHERE id = $1", [claimed[0]!.id]);
    // The claim itself acts on a due pause (no sweeper needed) and continues it at once.
    const due = await claimExecutions(db(), { workerId: wk, limit: 1, orgId: w.a.id });
    expect(due.claimed.map((c) => ({ id: c.id, resumed: c.resumed }))).toEqual([{ id: claimed[0]!.id, resumed: true }]);
    expect((await transitions(claimed[0]!.id)).map((h) => h.reason)).toContain("resumed by the platform: its delay is over: keeps its slot until a worker serving its queue continues it");
  });

  it("an approval's timeout: fail ends it FAILED and frees its slot; resume resumes it (through dispatch when it gave its slot back)", async () => {
    const w = await apiWorld("pause-timeout");
    const { wk, ids, claimed } = await running(w, 3, 2, 1);
    const [first, second] = claimed;
    const soon = new Date(Date.now() + 60_000);
    // The first paused gives its slot back (max_paused_slots 1); the second keeps its slot.
    await pauseExecution(db(), { executionId: first!.id, leaseToken: first!.leaseToken, workerId: wk, wait: { kind: "approval", timeoutAt: soon, onTimeout: "resume" } });
    await pauseExecution(db(), { executionId: second!.id, leaseToken: second!.leaseToken, workerId: wk, wait: { kind: "approval", timeoutAt: soon, onTimeout: "fail" } });
    expect([(await stateOf(first!.id)).holds_slot, (await stateOf(second!.id)).holds_slot]).toEqual([false, true]);
    // The third took the slot the first gave back.
    expect((await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed.map((c) => c.id)).toEqual([ids[2]]);
    await db().query("UPDATE execution SET pause_until = now() - interval '1 second' WHERE id = ANY($1::uuid[])", [[first!.id, second!.id]]);
    expect(await sweepOnce(db())).toMatchObject({ pauses: 2 });
    expect(await stateOf(second!.id)).toMatchObject({ state: "FAILED", holds_slot: false, reason: "approval timed out" });
    expect((await transitions(second!.id)).at(-1)).toMatchObject({ t: "PAUSED>FAILED", actor: "system", reason: expect.stringMatching(/^approval timed out at \d{4}-/) });
    // The first resumes into its lane ahead of new work and passes every cap: the org has room again (the second failed).
    expect(await stateOf(first!.id)).toMatchObject({ state: "QUEUED", holds_slot: false });
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, priority: 5 });
    const next = await claimExecutions(db(), { workerId: wk, limit: 1, orgId: w.a.id });
    expect(next.claimed.map((c) => ({ id: c.id, resumed: c.resumed }))).toEqual([{ id: first!.id, resumed: true }]);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("the worker protocol refuses a pause that is both a delay and an approval, and pauses with relative times", async () => {
    const w = await apiWorld("pause-protocol");
    const register = await import("../../app/api/workers/register/route");
    const { workerId } = (await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "p", queues: [] } })).json;
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    const [c] = (await claimExecutions(db(), { workerId, limit: 1, orgId: w.a.id })).claimed;
    const send = (extra: object) => call(pause.POST, "POST", "/api/workers/pause", { token: w.tokens.workerA, body: { workerId, executionId: c!.id, leaseToken: c!.leaseToken, ...extra } });
    expect((await send({ delayMs: 1000, approval: {} })).status).toBe(422);
    expect((await send({ approval: { timeoutMs: 1000, timeoutAt: new Date().toISOString() } })).status).toBe(422);
    const before = Date.now();
    const ok = await send({ approval: { timeoutMs: 30_000, onTimeout: "resume" } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ state: "PAUSED", waitingFor: "approval" });
    expect(new Date(ok.json.until).getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect((await db().query("SELECT pause_kind, pause_on_due FROM execution WHERE id = $1", [c!.id])).rows[0]).toEqual({ pause_kind: "approval", pause_on_due: "resume" });
  });
});
