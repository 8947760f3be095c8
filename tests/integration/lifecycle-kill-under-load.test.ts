import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { heartbeatExecutions } from "../../lib/dispatch/heartbeat";
import { deleteExecution, killExecution } from "../../lib/dispatch/kill";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { db, expireAllLeases, flow, org, stateOf, worker } from "./helpers/fixtures";

// Kill and delete under load (docs/lifecycle.md), where peers leak: killing N running
// executions with a queue behind promotes exactly N, never more; a kill between claim and
// start, and a worker that dies between claim and start, free the slot.

async function runningOf(flowId: string): Promise<number> {
  return (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND holds_slot", [flowId])).rows[0]!.n;
}

describe("kill and delete under load", () => {
  it("killing N running executions of a full flow while claimers race promotes exactly N, never past the limit", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId, { limit: 4 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id);
    const workers = await Promise.all([worker(), worker(), worker()]);
    const first = (await claimExecutions(db(), { workerId: workers[0]!, limit: 10, orgId: acme.id })).claimed;
    expect(first).toHaveLength(4);
    // Kills (two of them deletes) and three claimers, all at once.
    let peak = 0;
    let stop = false;
    const claimers = workers.map(async (w) => {
      const got: string[] = [];
      while (!stop) {
        got.push(...(await claimExecutions(db(), { workerId: w, limit: 3, orgId: acme.id })).claimed.map((c) => c.id));
        peak = Math.max(peak, await runningOf(etl));
      }
      return got;
    });
    await Promise.all([
      killExecution(db(), { executionId: first[0]!.id, actor: "test", orgId: acme.id }),
      killExecution(db(), { executionId: first[1]!.id, actor: "test", orgId: acme.id }),
      deleteExecution(db(), { executionId: first[2]!.id, actor: "test", orgId: acme.id }),
      deleteExecution(db(), { executionId: first[3]!.id, actor: "test", orgId: acme.id }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    const promoted = (await Promise.all(claimers)).flat();
    expect(promoted).toHaveLength(4); // exactly as many as were killed
    expect(new Set(promoted).size).toBe(4);
    expect(peak).toBeLessThanOrEqual(4);
    expect(await runningOf(etl)).toBe(4);
    const queued = (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE flow_id = $1 AND state = 'QUEUED'", [etl])).rows[0]!.n;
    expect(queued).toBe(30 - 4 - 4);
  });

  it("a kill between claim and start frees the slot at once; the worker learns it and its outcome is refused", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId, { limit: 1 });
    const a = (await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id;
    const b = (await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id;
    const w = await worker();
    const [claim] = (await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed;
    expect(claim!.id).toBe(a);
    await killExecution(db(), { executionId: a, actor: "test", orgId: acme.id }); // before the worker began
    expect(await stateOf(a)).toMatchObject({ state: "KILLED", holds_slot: false });
    expect((await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed.map((c) => c.id)).toEqual([b]);
    expect((await heartbeatExecutions(db(), w, [{ executionId: a, leaseToken: claim!.leaseToken }]))[0]).toMatchObject({ ok: false, code: "killed" });
    expect((await completeExecutions(db(), w, [{ executionId: a, leaseToken: claim!.leaseToken, status: "SUCCESS" }]))[0]).toMatchObject({ ok: false, code: "killed" });
    expect(await runningOf(etl)).toBe(1);
  });

  it("a worker that dies between claim and start frees the slot when its lease runs out, and the attempt counts", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId, { limit: 1 });
    const a = (await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id;
    const dead = await worker();
    expect((await claimExecutions(db(), { workerId: dead, limit: 1, orgId: acme.id })).claimed.map((c) => c.id)).toEqual([a]);
    // It never heartbeats. Its lease runs out; the sweeper of any instance frees the slot.
    await expireAllLeases();
    await sweepOnce(db());
    expect(await stateOf(a)).toMatchObject({ state: "QUEUED", holds_slot: false, attempts: 1 });
    expect(await runningOf(etl)).toBe(0);
    const alive = await worker();
    const [again] = (await claimExecutions(db(), { workerId: alive, limit: 1, orgId: acme.id })).claimed;
    expect(again).toMatchObject({ id: a, attempt: 2 });
  });
});
