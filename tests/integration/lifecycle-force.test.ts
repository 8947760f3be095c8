import { describe, expect, it } from "vitest";
import * as force from "../../app/api/executions/[id]/force/route";
import * as one from "../../app/api/executions/[id]/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { pauseExecution, resumeExecution } from "../../lib/dispatch/pause-resume";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, queue, worker } from "./helpers/fixtures";

// Break-glass "run now" (docs/lifecycle.md, "Run now"): an admin starts a queued execution at
// the next claim of a worker serving its queue, ignoring caps, with a reason; it counts as in
// flight, is marked forced everywhere, and at most maxForcedPerOrg are live per org.

type World = Awaited<ReturnType<typeof apiWorld>>;

const post = (w: World, id: string, body: unknown, token: string | null = w.tokens.adminA) =>
  call(force.POST, "POST", `/api/executions/${id}/force`, { token, params: { id }, body });

async function holders(flowId: string): Promise<number> {
  return (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND holds_slot", [flowId])).rows[0]!.n;
}

describe("run now (break-glass)", () => {
  it("starts a queued execution past a full flow at the next claim, counts it in flight, and others wait", async () => {
    const w = await apiWorld("force");
    await db().query("UPDATE platform_settings SET max_forced_per_org = 2");
    const f = await flow(w.a.id, w.a.projectId, { limit: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: f })).id);
    const wk = await worker();
    expect((await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed.map((c) => c.id)).toEqual([ids[0]]);
    // The newest one, forced: it starts although the flow is full, ahead of the older one.
    const res = await post(w, ids[2]!, { reason: "customer demo in 5 minutes" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: ids[2], state: "QUEUED", forced: { by: expect.stringContaining("admin-a-force"), reason: "customer demo in 5 minutes" } });
    const next = await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id });
    expect(next.claimed.map((c) => c.id)).toEqual([ids[2]]);
    expect(await holders(f)).toBe(2); // over the flow's limit of 1, by the forced one
    // The one it delays says so.
    const reasons = await explainExecution(db(), ids[1]!, w.a.id);
    expect(reasons[0]).toMatchObject({ code: "cap_full", cap: "flow", limit: 1, inFlight: 2, forced: 1 });
    expect((reasons[0] as { message: string }).message).toContain("1 of them was forced to run now by an admin");
    expect((await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed).toEqual([]);
    // Marked forced on the execution, in its history and in the audit log.
    const shown = await call(one.GET, "GET", `/api/executions/${ids[2]}`, { token: w.tokens.memberA, params: { id: ids[2]! } });
    expect(shown.json.forced).toMatchObject({ reason: "customer demo in 5 minutes" });
    expect(shown.json.transitions.map((t: { reason: string | null }) => t.reason)).toContainEqual(expect.stringMatching(/^forced to run now, ignoring caps, by .*: customer demo in 5 minutes$/));
    const audit = (await db().query("SELECT actor, after FROM audit_event WHERE action = 'execution.force' AND entity_id = $1", [ids[2]])).rows;
    expect(audit).toEqual([{ actor: expect.stringContaining("admin-a-force"), after: { reason: "customer demo in 5 minutes" } }]);
  });

  it("is for the next start only: paused and resumed later, it waits for its flow like any other", async () => {
    const w = await apiWorld("force-once");
    await db().query("UPDATE organization SET max_paused_slots = 5 WHERE id = $1", [w.a.id]);
    const f = await flow(w.a.id, w.a.projectId, { limit: 1 });
    const first = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: f })).id;
    const forced = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: f })).id;
    const wk = await worker();
    expect((await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed.map((c) => c.id)).toEqual([first]);
    expect((await post(w, forced, { reason: "once" })).status).toBe(200);
    const [started] = (await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed;
    expect(started!.id).toBe(forced);
    // Paused (its slot given back), resumed: queued again, ahead of new work but under the caps.
    await pauseExecution(db(), { executionId: forced, leaseToken: started!.leaseToken, workerId: wk });
    expect((await resumeExecution(db(), { executionId: forced, by: { workerId: wk } })).state).toBe("QUEUED");
    await db().query("UPDATE organization SET weight = weight + 1 WHERE id = $1", [w.a.id]); // claimers read the forced work again
    expect((await claimExecutions(db(), { workerId: wk, limit: 5, orgId: w.a.id })).claimed).toEqual([]); // the flow is full
    expect(await holders(f)).toBe(1);
  });

  it("goes only to a worker serving its queue, and a scheduled execution joins its lane at once", async () => {
    const w = await apiWorld("force-queue");
    const name = `special-${Math.random().toString(36).slice(2, 8)}`;
    await queue(w.a.id, name);
    const later = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: name, delayMs: 3_600_000 });
    expect((await post(w, later.id, { reason: "needed now" })).status).toBe(200);
    const other = await worker({ queues: ["default"] });
    expect((await claimExecutions(db(), { workerId: other, limit: 5, orgId: w.a.id, queues: ["default"] })).claimed.map((c) => c.id)).not.toContain(later.id);
    const serving = await worker({ queues: [name] });
    expect((await claimExecutions(db(), { workerId: serving, limit: 5, orgId: w.a.id, queues: [name] })).claimed.map((c) => c.id)).toEqual([later.id]);
  });

  it("refuses what is not queued, a second force, a missing reason, members, and more than maxForcedPerOrg live", async () => {
    const w = await apiWorld("force-refused");
    await db().query("UPDATE platform_settings SET max_forced_per_org = 1");
    const a = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId })).id;
    const b = (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId })).id;
    expect((await post(w, a, { reason: " " })).status).toBe(422);
    expect((await post(w, a, {})).status).toBe(422);
    expect((await post(w, a, { reason: "x" }, w.tokens.memberA)).status).toBe(403);
    expect((await post(w, a, { reason: "x" }, w.tokens.memberB)).status).toBe(404);
    expect((await post(w, a, { reason: "first" })).status).toBe(200);
    expect(await post(w, a, { reason: "again" }).then((r) => [r.status, r.json.code])).toEqual([409, "already_forced"]);
    expect(await post(w, b, { reason: "second" }).then((r) => [r.status, r.json.code])).toEqual([409, "forced_limit"]);
    const wk = await worker();
    const started = (await claimExecutions(db(), { workerId: wk, limit: 1, orgId: w.a.id })).claimed;
    expect(started.map((c) => c.id)).toEqual([a]);
    expect(await post(w, a, { reason: "running" }).then((r) => [r.status, r.json.code])).toEqual([409, "not_queued"]);
    // Platform admins may force too; 0 turns run now off.
    await db().query("UPDATE platform_settings SET max_forced_per_org = 0");
    expect(await post(w, b, { reason: "off" }, w.tokens.platformAdmin).then((r) => [r.status, r.json.code])).toEqual([409, "forced_limit"]);
    await db().query("UPDATE platform_settings SET max_forced_per_org = 2");
    expect((await post(w, b, { reason: "ops" }, w.tokens.platformAdmin)).status).toBe(200);
  });
});
