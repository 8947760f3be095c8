import { describe, expect, it } from "vitest";
import * as bulkKill from "../../app/api/orgs/[orgId]/executions/kill/route";
import * as bulkRerun from "../../app/api/orgs/[orgId]/executions/rerun/route";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, inFlight, stateOf, trigger, worker } from "./helpers/fixtures";

// Bulk actions (docs/lifecycle.md, "Bulk actions"): kill or rerun everything the executions
// list's filter matches, with a dry run that counts, oldest first, at most `limit` a call.

type World = Awaited<ReturnType<typeof apiWorld>>;

const kill = (w: World, body: unknown, token: string | null = w.tokens.adminA, orgId = w.a.id) =>
  call(bulkKill.POST, "POST", `/api/orgs/${orgId}/executions/kill`, { token, params: { orgId }, body });
const rerun = (w: World, body: unknown, token: string | null = w.tokens.memberA, orgId = w.a.id) =>
  call(bulkRerun.POST, "POST", `/api/orgs/${orgId}/executions/rerun`, { token, params: { orgId }, body });

const submitN = async (n: number, input: Parameters<typeof submitExecution>[1]) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), input)).id);
  return ids;
};

/** Claims what the org has startable and ends each claimed one with `status`. */
async function runAll(orgId: string, status: "SUCCESS" | "FAILED") {
  const w = await worker();
  const { claimed } = await claimExecutions(db(), { workerId: w, limit: 100, orgId });
  await completeExecutions(db(), w, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status })));
  return claimed.map((c) => c.id);
}

const states = async (ids: string[]) => Promise.all(ids.map(async (id) => (await stateOf(id)).state));

describe("bulk kill", () => {
  it("counts in a dry run, then kills only the live executions matching, freeing their slots, with descendants", async () => {
    const w = await apiWorld("bulk-kill");
    const etl = await flow(w.a.id, w.a.projectId);
    const other = await flow(w.a.id, w.a.projectId);
    const queued = await submitN(3, { orgId: w.a.id, projectId: w.a.projectId, flowId: etl });
    const running = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: etl });
    const wk = await worker();
    const { claimed } = await claimExecutions(db(), { workerId: wk, limit: 4, orgId: w.a.id });
    expect(claimed.length).toBe(4); // every one of them now runs
    const child = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, parentId: running.id });
    const untouched = await submitN(2, { orgId: w.a.id, projectId: w.a.projectId, flowId: other });
    const inOrgB = await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });

    const dry = await kill(w, { filter: { flowId: etl }, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ matched: 4, killed: 0, remaining: 4 });
    expect(await states([...queued, running.id])).toEqual(["RUNNING", "RUNNING", "RUNNING", "RUNNING"]);

    const res = await kill(w, { filter: { flowId: etl } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ matched: 4, killed: 5, remaining: 0 }); // the child went with its parent
    expect(await states([...queued, running.id, child.id])).toEqual(["KILLED", "KILLED", "KILLED", "KILLED", "KILLED"]);
    expect((await stateOf(running.id)).reason).toMatch(/bulk/);
    expect(await states([...untouched, inOrgB.id])).toEqual(["QUEUED", "QUEUED", "QUEUED"]);
    expect(await inFlight(w.a.id)).toBe(0);
    const audit = await db().query("SELECT action, after FROM audit_event WHERE org_id = $1 AND action LIKE 'executions.%'", [w.a.id]);
    expect(audit.rows).toEqual([{ action: "executions.kill_matching", after: { filter: { flowId: etl }, killed: 5, remaining: 0 } }]);
  });

  it("acts on the oldest first, at most `limit`, and says how many remain; states it cannot kill match nothing", async () => {
    const w = await apiWorld("bulk-kill-limit");
    const ids = await submitN(5, { orgId: w.a.id, projectId: w.a.projectId });
    const res = await kill(w, { filter: {}, limit: 2 });
    expect(res.json).toMatchObject({ matched: 5, killed: 2, remaining: 3 });
    expect(await states(ids)).toEqual(["KILLED", "KILLED", "QUEUED", "QUEUED", "QUEUED"]);
    const finished = await kill(w, { filter: { state: ["SUCCESS", "KILLED"] } });
    expect(finished.json).toMatchObject({ matched: 0, killed: 0, remaining: 0 });
    expect((await kill(w, { filter: { state: "QUEUED" } })).json).toMatchObject({ matched: 3, killed: 3, remaining: 0 });
  });

  it("leaves alone what was submitted after the call began unless `to` says otherwise", async () => {
    const w = await apiWorld("bulk-kill-asof");
    const before = await submitN(2, { orgId: w.a.id, projectId: w.a.projectId });
    const dry = await kill(w, { dryRun: true });
    const later = await submitN(1, { orgId: w.a.id, projectId: w.a.projectId });
    // The confirmation counted 2: the kill sent with its asOf acts on those 2 only.
    const res = await kill(w, { filter: { to: dry.json.asOf } });
    expect(res.json).toMatchObject({ matched: 2, killed: 2 });
    expect(await states([...before, ...later])).toEqual(["KILLED", "KILLED", "QUEUED"]);
  });

  it("is for org admins: members 403, another org's people 404, bad input 422 naming the field", async () => {
    const w = await apiWorld("bulk-kill-who");
    const [id] = await submitN(1, { orgId: w.a.id, projectId: w.a.projectId });
    expect((await kill(w, {}, w.tokens.memberA)).status).toBe(403);
    expect((await kill(w, {}, w.tokens.memberB)).status).toBe(404);
    expect((await kill(w, {}, null)).status).toBe(401);
    for (const [body, field] of [[{ limit: 0 }, "limit"], [{ limit: 10_001 }, "limit"], [{ filter: { state: "DONE" } }, "filter.state"], [{ filter: { flowId: "x" } }, "filter.flowId"], [{ filter: { everything: true } }, "filter"]] as const) {
      const res = await kill(w, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.errors.map((e: { field: string }) => e.field).join(" ")).toContain(field);
    }
    expect((await stateOf(id!)).state).toBe("QUEUED");
    expect((await kill(w, {}, w.tokens.platformAdmin)).json).toMatchObject({ killed: 1 });
  });
});

describe("bulk rerun", () => {
  it("reruns the finished executions matching, oldest first, each naming its original", async () => {
    const w = await apiWorld("bulk-rerun");
    const etl = await flow(w.a.id, w.a.projectId);
    const ids = await submitN(3, { orgId: w.a.id, projectId: w.a.projectId, flowId: etl });
    await runAll(w.a.id, "FAILED");
    const live = await submitN(1, { orgId: w.a.id, projectId: w.a.projectId, flowId: etl });

    expect((await rerun(w, { filter: { flowId: etl, state: "FAILED" }, dryRun: true })).json).toMatchObject({ matched: 3, rerun: 0, remaining: 3 });
    expect((await rerun(w, { filter: { state: "QUEUED" } })).json).toMatchObject({ matched: 0, rerun: 0 });
    const res = await rerun(w, { filter: { flowId: etl, state: "FAILED" } });
    expect(res.json).toMatchObject({ matched: 3, rerun: 3, notRerun: [], stoppedBy: null, remaining: 0 });
    const made = await db().query<{ rerun_of: string; state: string }>("SELECT rerun_of, state FROM execution WHERE rerun_of = ANY($1) ORDER BY seq", [ids]);
    expect(made.rows).toEqual(ids.map((id) => ({ rerun_of: id, state: "QUEUED" })));
    expect((await stateOf(live[0]!)).state).toBe("QUEUED");
    expect((await rerun(w, {}, w.tokens.memberB)).status).toBe(404);
  });

  it("goes through admission: a locked trigger is counted and skipped, a backlog cap stops the rest", async () => {
    const w = await apiWorld("bulk-rerun-admission");
    const f = await flow(w.a.id, w.a.projectId);
    const t = await trigger(w.a.id, f);
    const [fromTrigger] = await submitN(1, { orgId: w.a.id, projectId: w.a.projectId, triggerId: t });
    const plain = await submitN(3, { orgId: w.a.id, projectId: w.a.projectId });
    await runAll(w.a.id, "SUCCESS");
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, triggerId: t }); // the trigger is live again
    // Room for one more queued execution: the second plain rerun hits the cap.
    await db().query("UPDATE organization SET max_queued = 2 WHERE id = $1", [w.a.id]);
    const res = await rerun(w, { filter: { state: "SUCCESS" } });
    expect(res.json).toMatchObject({ matched: 4, rerun: 1, notRerun: [{ code: "trigger_locked", count: 1 }], stoppedBy: "backlog_full", remaining: 2 });
    const made = await db().query("SELECT rerun_of FROM execution WHERE org_id = $1 AND rerun_of IS NOT NULL", [w.a.id]);
    expect(made.rows.map((r) => r.rerun_of)).toEqual([plain[0]]);
    expect(await db().query("SELECT 1 FROM execution WHERE rerun_of = $1", [fromTrigger]).then((r) => r.rowCount)).toBe(0);
  });
});
