import { describe, expect, it } from "vitest";
import * as flowRoute from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import * as triggers from "../../app/api/orgs/[orgId]/triggers/route";
import { submitExecution, submitInTx } from "../../lib/scheduler/submit-execution";
import { apiWorld, call } from "./helpers/api";
import { db, flow, stateOf } from "./helpers/fixtures";

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
      // The delete is blocked on the submitter's lock before the submission commits.
      for (let i = 0; i < 200; i++) {
        const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await submitter.query("COMMIT");
      const deleted = await deleting;
      expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
      expect(deleted.json).toEqual({ ended: 1 });
      expect(await stateOf(late.id)).toMatchObject({ state: "CANCELLED", holds_slot: false });
    } finally {
      submitter.release();
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
