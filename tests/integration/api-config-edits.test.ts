import { describe, expect, it } from "vitest";
import * as flowRoute from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import * as projectRoute from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as triggers from "../../app/api/orgs/[orgId]/triggers/route";
import { submitExecution, submitInTx } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, project, stateOf } from "./helpers/fixtures";

/** Waits until `n` backends of this database wait for a lock; throws if they never do. */
async function lockWaiters(n: number) {
  for (let i = 0; i < 500; i++) {
    const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if (rows[0]!.n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${n} backends never waited for a lock: the test's ordering no longer holds`);
}

/** Configuration edits through the API that once failed on ordinary input. */
describe("configuration edits", () => {
  it("deleting a flow with queued executions cancels them and deletes the flow", async () => {
    const w = await apiWorld("flow-delete");
    const flowId = await flow(w.a.id, w.a.projectId);
    const queued = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId });
    const params = { orgId: w.a.id, flowId };
    const deleted = await call(flowRoute.DELETE, "DELETE", `/api/orgs/${w.a.id}/flows/${flowId}`, { token: w.tokens.adminA, params });
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
    expect(deleted.json).toEqual({ ended: 1 });
    expect(await stateOf(queued.id)).toMatchObject({ state: "CANCELLED", holds_slot: false });
    const gone = await call(flowRoute.GET, "GET", `/api/orgs/${w.a.id}/flows/${flowId}`, { token: w.tokens.adminA, params });
    expect(gone.status).toBe(404);
  });

  it("a submission racing a flow's deletion is waited for and cancelled with the rest, not a failed delete", async () => {
    const w = await apiWorld("flow-delete-race");
    const flowId = await flow(w.a.id, w.a.projectId);
    const submitter = await db().connect();
    try {
      await submitter.query("BEGIN");
      const late = await submitInTx(submitter, { orgId: w.a.id, projectId: w.a.projectId, flowId });
      const deleting = call(flowRoute.DELETE, "DELETE", `/api/orgs/${w.a.id}/flows/${flowId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, flowId } });
      await lockWaiters(1); // the delete is blocked on the submitter's lock before the submission commits
      await submitter.query("COMMIT");
      const deleted = await deleting;
      expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
      expect(deleted.json).toEqual({ ended: 1 });
      expect(await stateOf(late.id)).toMatchObject({ state: "CANCELLED", holds_slot: false });
    } finally {
      submitter.release();
    }
  });

  // The reply of a write is read in its transaction. Read after the commit, it could miss what
  // the write had just done: a delete that came in between answered a committed PATCH with 404.
  it("a PATCH answers what it committed, even when a delete follows at once", async () => {
    const w = await apiWorld("patch-then-delete");
    const projectId = await project(w.a.id, { maxConcurrentJobs: 2 });
    const [gate, deleter] = [await db().connect(), await db().connect()];
    try {
      // If this test fails half-way, its locks must not hold up the rest of the file.
      for (const client of [gate, deleter]) await client.query("SET lock_timeout = '20s'");
      // The PATCH waits at its audit entry, inside its transaction, while the deleter queues
      // for the whole project table behind it: the deleter is next once the PATCH commits.
      await gate.query("BEGIN; LOCK TABLE audit_event IN SHARE MODE");
      const patching = call(projectRoute.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${projectId}`, {
        token: w.tokens.adminA, params: { orgId: w.a.id, projectId }, body: { maxConcurrentJobs: 5 },
      });
      await lockWaiters(1);
      await deleter.query("BEGIN");
      const locked = deleter.query("LOCK TABLE project IN ACCESS EXCLUSIVE MODE");
      await lockWaiters(2);
      await gate.query("COMMIT");
      await locked;
      await deleter.query("DELETE FROM project WHERE id = $1", [projectId]);
      await deleter.query("COMMIT");
      const patched = await patching;
      expect(patched.status, JSON.stringify(patched.json)).toBe(200);
      expect(patched.json).toMatchObject({ id: projectId, maxConcurrentJobs: 5 });
    } finally {
      for (const client of [gate, deleter]) {
        await client.query("ROLLBACK").catch(() => undefined); // a no-op after COMMIT
        client.release(true); // closed, not back to the pool with its session settings
      }
    }
  });

  it("a flow's concurrency can be edited one field at a time: the other keeps its value", async () => {
    const w = await apiWorld("flow-patch");
    const flowId = await flow(w.a.id, w.a.projectId, { limit: 2, behavior: "FAIL" });
    const params = { orgId: w.a.id, flowId };
    const patch = (body: unknown) => call(flowRoute.PATCH, "PATCH", `/api/orgs/${w.a.id}/flows/${flowId}`, { token: w.tokens.adminA, params, body });

    const limitOnly = await patch({ concurrency: { limit: 3 } });
    expect(limitOnly.status, JSON.stringify(limitOnly.json)).toBe(200);
    expect(limitOnly.json.concurrency).toEqual({ limit: 3, behavior: "FAIL" });

    const behaviorOnly = await patch({ concurrency: { behavior: "CANCEL" } });
    expect(behaviorOnly.status, JSON.stringify(behaviorOnly.json)).toBe(200);
    expect(behaviorOnly.json.concurrency).toEqual({ limit: 3, behavior: "CANCEL" });

    const unlimited = await patch({ concurrency: { limit: null } });
    expect(unlimited.json.concurrency).toEqual({ limit: null, behavior: "CANCEL" });
  });

  it("trigger names are unique per flow, and the conflict says so", async () => {
    const w = await apiWorld("trigger-names");
    const [first, second] = [await flow(w.a.id, w.a.projectId), await flow(w.a.id, w.a.projectId)];
    const create = (flowId: string) => call(triggers.POST, "POST", `/api/orgs/${w.a.id}/triggers`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "nightly", flowId } });
    const made = await create(first);
    expect([made.status, made.headers.get("cache-control")]).toEqual([201, "no-store"]);
    expect((await create(second)).status).toBe(201);
    const again = await create(first);
    expect([again.status, again.json.code, again.json.detail]).toEqual([409, "already_exists", "A trigger with that name already exists in this flow."]);
  });
});
