import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { heartbeatExecutions } from "../../lib/dispatch/heartbeat";
import { deleteExecution, killExecution } from "../../lib/dispatch/kill";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { db, expireAllLeases, flow, inFlight, org, stateOf, trigger, worker } from "./helpers/fixtures";

describe("execution lifecycle", () => {
  it("submits, claims with a lease, completes once, and records every transition", async () => {
    const acme = await org();
    const w = await worker();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, payload: { sleepMs: 1 } });
    expect(await stateOf(id)).toMatchObject({ state: "QUEUED", holds_slot: false });

    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id });
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ id, attempt: 1, leaseToken: 1, queue: "default", payload: { sleepMs: 1 } });
    expect(await stateOf(id)).toMatchObject({ state: "RUNNING", holds_slot: true });

    const first = await completeExecutions(db(), w, [{ executionId: id, leaseToken: 1, status: "SUCCESS" }]);
    expect(first).toEqual([{ executionId: id, ok: true }]);
    const again = await completeExecutions(db(), w, [{ executionId: id, leaseToken: 1, status: "FAILED", error: "late" }]);
    expect(again[0]).toMatchObject({ ok: false, code: "lease_lost", state: "SUCCESS" });
    expect(await stateOf(id)).toMatchObject({ state: "SUCCESS", holds_slot: false, reason: null });

    const history = await db().query("SELECT from_state, to_state FROM execution_transition WHERE execution_id = $1 ORDER BY id", [id]);
    expect(history.rows).toEqual([
      { from_state: null, to_state: "QUEUED" },
      { from_state: "QUEUED", to_state: "RUNNING" },
      { from_state: "RUNNING", to_state: "SUCCESS" },
    ]);
    expect(await reconcile(db())).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("expires a lease: requeues while attempts remain, then fails with 'lease expired'; the stale worker gets lease_lost", async () => {
    const acme = await org();
    const w1 = await worker();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, maxAttempts: 2 });

    const a1 = (await claimExecutions(db(), { workerId: w1, limit: 1, orgId: acme.id })).claimed[0]!;
    await expireAllLeases();
    const beat = await heartbeatExecutions(db(), w1, [{ executionId: id, leaseToken: a1.leaseToken }]);
    expect(beat[0]).toMatchObject({ ok: false, code: "lease_lost" });
    expect(await stateOf(id)).toMatchObject({ state: "QUEUED", holds_slot: false, attempts: 1 });

    const a2 = (await claimExecutions(db(), { workerId: w1, limit: 1, orgId: acme.id })).claimed[0]!;
    expect(a2.leaseToken).toBe(a1.leaseToken + 1);
    // The first attempt's late completion is refused: only the current attempt counts.
    const late = await completeExecutions(db(), w1, [{ executionId: id, leaseToken: a1.leaseToken, status: "SUCCESS" }]);
    expect(late[0]).toMatchObject({ ok: false, code: "lease_lost" });

    await expireAllLeases();
    expect(await sweepOnce(db())).toEqual({ expired: 1, promoted: 0, pauses: 0 });
    expect(await stateOf(id)).toMatchObject({ state: "FAILED", holds_slot: false, reason: "lease expired", attempts: 2 });
    expect(await inFlight()).toBe(0);
  });

  it("heartbeats extend the lease and report a kill; kill cascades to descendants and frees their slots", async () => {
    const acme = await org();
    const w = await worker();
    const root = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const [r] = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed;
    const child = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: root.id });
    const grandchild = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: child.id });
    const claimedChild = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed[0]!;
    expect(claimedChild.id).toBe(child.id);
    expect(await inFlight(acme.id)).toBe(2);

    const ok = await heartbeatExecutions(db(), w, [{ executionId: root.id, leaseToken: r!.leaseToken }]);
    expect(ok[0]).toMatchObject({ ok: true });

    const { killed } = await killExecution(db(), { executionId: root.id, actor: "admin@acme.dev" });
    expect(new Set(killed)).toEqual(new Set([root.id, child.id, grandchild.id]));
    expect(await inFlight(acme.id)).toBe(0);
    const told = await heartbeatExecutions(db(), w, [{ executionId: root.id, leaseToken: r!.leaseToken }]);
    expect(told[0]).toMatchObject({ ok: false, code: "killed" });
    expect((await stateOf(grandchild.id)).reason).toBe("killed by admin@acme.dev");
    expect(await reconcile(db())).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("delete kills a live execution first, so no slot stays occupied", async () => {
    const acme = await org();
    const w = await worker();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id });
    const { killed } = await deleteExecution(db(), { executionId: id, actor: "ops" });
    expect(killed).toEqual([id]);
    expect((await db().query("SELECT 1 FROM execution WHERE id = $1", [id])).rowCount).toBe(0);
    expect(await inFlight()).toBe(0);
  });

  it("history goes with its execution, also by cascade from a parent or the org; a deleted worker's leases are cleared", async () => {
    const historyOf = async (ids: string[]) => Number((await db().query("SELECT count(*) FROM execution_transition WHERE execution_id = ANY($1::uuid[])", [ids])).rows[0].count);
    const acme = await org();
    const w = await worker();
    const parent = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const child = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: parent.id });
    const other = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    expect(await historyOf([parent.id, child.id, other.id])).toBe(3);

    await deleteExecution(db(), { executionId: parent.id, actor: "ops" });
    expect(await historyOf([parent.id, child.id])).toBe(0);
    expect(await historyOf([other.id])).toBe(1);

    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id });
    expect(claimed.map((c) => c.id)).toEqual([other.id]);
    await db().query("DELETE FROM worker WHERE id = $1", [w]);
    expect((await db().query("SELECT lease_worker_id FROM execution WHERE id = $1", [other.id])).rows[0].lease_worker_id).toBeNull();

    await db().query("DELETE FROM organization WHERE id = $1", [acme.id]);
    expect(await historyOf([other.id])).toBe(0);
  });

  it("tenant scoping: kill and delete refuse an execution of another org", async () => {
    const acme = await org();
    const beta = await org();
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await expect(killExecution(db(), { executionId: id, actor: "x", orgId: beta.id })).rejects.toMatchObject({ status: 404 });
    await expect(deleteExecution(db(), { executionId: id, actor: "x", orgId: beta.id })).rejects.toMatchObject({ status: 404 });
    expect((await stateOf(id)).state).toBe("QUEUED");
  });
});

describe("admission", () => {
  it("trigger lock: refuses a second live execution of the same trigger and creates nothing", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId);
    const t = await trigger(acme.id, f);
    const w = await worker();
    const first = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, triggerId: t });
    await expect(submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, triggerId: t })).rejects.toMatchObject({ status: 409, code: "trigger_locked" });
    expect((await db().query("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [acme.id])).rows[0].n).toBe(1);

    const [c] = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed;
    await completeExecutions(db(), w, [{ executionId: first.id, leaseToken: c!.leaseToken, status: "SUCCESS" }]);
    const second = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, triggerId: t });
    expect(second.state).toBe("QUEUED");
  });

  it("concurrent submissions for one trigger: exactly one is admitted", async () => {
    const acme = await org();
    const t = await trigger(acme.id, await flow(acme.id, acme.projectId));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, triggerId: t })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason.code === "trigger_locked")).toBe(true);
  });

  it.each([
    ["CANCEL", "CANCELLED"],
    ["FAIL", "FAILED"],
  ] as const)("flow limit 2 with behavior %s: the third execution is recorded %s and never runs", async (behavior, state) => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId, { limit: 2, behavior });
    const w = await worker();
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    const third = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    expect(third).toMatchObject({ state, reason: "flow concurrency limit reached (limit 2)" });
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id });
    expect(claimed.map((c) => c.id)).not.toContain(third.id);
    expect(claimed).toHaveLength(2);
  });

  it("flow limit with CANCEL under concurrent submissions never admits more than the limit", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId, { limit: 3, behavior: "CANCEL" });
    const results = await Promise.all(Array.from({ length: 12 }, () => submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f })));
    expect(results.filter((r) => r.state === "QUEUED")).toHaveLength(3);
    expect(results.filter((r) => r.state === "CANCELLED")).toHaveLength(9);
  });

  it("rejects nesting deeper than three levels and children of a finished parent", async () => {
    const acme = await org();
    const a = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const b = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: a.id });
    const c = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: b.id });
    await expect(submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: c.id })).rejects.toMatchObject({ status: 422 });
    await killExecution(db(), { executionId: a.id, actor: "t" });
    await expect(submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: a.id })).rejects.toMatchObject({ status: 409, code: "parent_finished" });
  });
});
