import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { submitExecution, type SubmitInput } from "../../lib/dispatch/submit";
import { concurrencyPool, db, flow, inFlight, org, platform, project, queue, worker } from "./helpers/fixtures";

/** Every cap (docs/dispatch.md), one at a time, through the real claim path. */
async function submitMany(n: number, input: SubmitInput): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), input)).id);
  return ids;
}

async function claimAll(workerId: string, orgId: string, limit = 50) {
  return (await claimExecutions(db(), { workerId, limit, orgId })).claimed;
}

describe("caps at dispatch", () => {
  it("org max concurrency (0 = no cap)", async () => {
    const acme = await org({ maxConcurrency: 2 });
    const w = await worker();
    await submitMany(4, { orgId: acme.id, projectId: acme.projectId });
    expect(await claimAll(w, acme.id)).toHaveLength(2);
    await db().query("UPDATE organization SET max_concurrency = 0 WHERE id = $1", [acme.id]);
    expect(await claimAll(w, acme.id)).toHaveLength(2);
  });

  it("project maxConcurrentJobs, and the platform default when it is empty", async () => {
    await platform({ defaultProjectConcurrency: 1 });
    try {
      const acme = await org();
      const limited = await project(acme.id, { maxConcurrentJobs: 3 });
      const w = await worker();
      await submitMany(5, { orgId: acme.id, projectId: limited });
      await submitMany(3, { orgId: acme.id, projectId: acme.projectId });
      const claimed = await claimAll(w, acme.id);
      expect(claimed.filter((c) => c.projectId === limited)).toHaveLength(3);
      expect(claimed.filter((c) => c.projectId === acme.projectId)).toHaveLength(1);
    } finally {
      await platform({ defaultProjectConcurrency: 0 });
    }
  });

  it("two projects share a pool limit", async () => {
    const acme = await org();
    const pool = await concurrencyPool(acme.id, 3);
    const p1 = await project(acme.id, { poolId: pool });
    const p2 = await project(acme.id, { poolId: pool });
    const w = await worker();
    await submitMany(3, { orgId: acme.id, projectId: p1 });
    await submitMany(3, { orgId: acme.id, projectId: p2 });
    expect(await claimAll(w, acme.id)).toHaveLength(3);
  });

  it("flow limit with QUEUE: the third waits until one of the two finishes", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId, { limit: 2 });
    const w = await worker();
    const ids = await submitMany(3, { orgId: acme.id, projectId: acme.projectId, flowId: f });
    const first = await claimAll(w, acme.id);
    expect(first.map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(await claimAll(w, acme.id)).toEqual([]);
    await completeExecutions(db(), w, [{ executionId: first[0]!.id, leaseToken: first[0]!.leaseToken, status: "SUCCESS" }]);
    expect((await claimAll(w, acme.id)).map((c) => c.id)).toEqual([ids[2]]);
  });

  it("queue concurrency, and higher queue priority goes first", async () => {
    const acme = await org();
    await queue(acme.id, "default");
    await queue(acme.id, "urgent", { priority: 10, concurrency: 2 });
    const w = await worker();
    const normal = await submitMany(2, { orgId: acme.id, projectId: acme.projectId });
    const urgent = await submitMany(3, { orgId: acme.id, projectId: acme.projectId, queue: "urgent" });
    const claimed = await claimAll(w, acme.id, 3);
    expect(claimed.map((c) => c.id)).toEqual([urgent[0], urgent[1], normal[0]]);
  });

  it("a worker only gets the queues it asks for", async () => {
    const acme = await org();
    await queue(acme.id, "gpu");
    const w = await worker();
    await submitMany(2, { orgId: acme.id, projectId: acme.projectId });
    const gpu = await submitMany(1, { orgId: acme.id, projectId: acme.projectId, queue: "gpu" });
    const claimed = (await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id, queues: ["gpu"] })).claimed;
    expect(claimed.map((c) => c.id)).toEqual(gpu);
  });

  it("jobs and access_requests settings, capped by the environment ceiling", async () => {
    const acme = await org({ jobs: 5, accessRequests: 1 });
    const w = await worker();
    await submitMany(4, { orgId: acme.id, projectId: acme.projectId });
    await submitMany(3, { orgId: acme.id, projectId: acme.projectId, accessRequest: true });
    const claimed = (await claimExecutions(db(), { workerId: w, limit: 20, orgId: acme.id }, { envLimits: { jobs: 2, workflows: 100, access_requests: 100, max_paused_slots: 100 } })).claimed;
    expect(claimed.filter((c) => c.kind === "job")).toHaveLength(2); // min(env 2, settings 5)
    expect(claimed.filter((c) => c.kind === "access_request")).toHaveLength(1); // min(env 100, settings 1)
  });

  it("workflows per job, direct pipeline and controller pipeline concurrency", async () => {
    const acme = await org({ workflows: 4 });
    const w = await worker();
    const controller = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, concurrency: 3 });
    await claimAll(w, acme.id);
    const pipelines = [];
    for (let i = 0; i < 2; i++) pipelines.push(await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, parentId: controller.id, concurrency: 5 }));
    const started = await claimAll(w, acme.id);
    expect(started).toHaveLength(2); // both pipelines: 2 descendants of the controller (cap 3)
    for (const p of pipelines) await submitMany(3, { orgId: acme.id, projectId: acme.projectId, parentId: p.id });
    // The controller's concurrency (3) leaves room for only one more descendant, although
    // each pipeline's own concurrency (5) and workflows per job (4) would allow more.
    const operations = await claimAll(w, acme.id);
    expect(operations).toHaveLength(1);
    await db().query("UPDATE execution SET concurrency = NULL WHERE id = $1", [controller.id]);
    // Now workflows per job (4 descendants of the top-level job) is the binding cap.
    expect(await claimAll(w, acme.id)).toHaveLength(1);
    expect(await inFlight(acme.id)).toBe(5);
  });

  it("direct pipeline concurrency blocks only its own children", async () => {
    const acme = await org();
    const w = await worker();
    const narrow = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, concurrency: 1 });
    const wide = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await claimAll(w, acme.id);
    await submitMany(3, { orgId: acme.id, projectId: acme.projectId, parentId: narrow.id });
    await submitMany(3, { orgId: acme.id, projectId: acme.projectId, parentId: wide.id });
    const claimed = await claimAll(w, acme.id);
    expect(claimed.filter((c) => c.parentId === narrow.id)).toHaveLength(1);
    expect(claimed.filter((c) => c.parentId === wide.id)).toHaveLength(3);
  });

  it("global capacity counts every org", async () => {
    const a = await org();
    const b = await org();
    const w = await worker();
    await submitMany(3, { orgId: a.id, projectId: a.projectId });
    await submitMany(3, { orgId: b.id, projectId: b.projectId });
    const before = await inFlight();
    await platform({ globalCapacity: before + 4 });
    try {
      const claimed = [...(await claimAll(w, a.id)), ...(await claimAll(w, b.id))];
      expect(claimed).toHaveLength(4);
      expect(await inFlight()).toBe(before + 4);
    } finally {
      await platform({ globalCapacity: 0 });
    }
  });

  it("lowering a cap admits nothing until in-flight is below it; raising admits at the next claim; removing drains", async () => {
    const acme = await org({ maxConcurrency: 4 });
    const w = await worker();
    await submitMany(10, { orgId: acme.id, projectId: acme.projectId });
    const running = await claimAll(w, acme.id);
    expect(running).toHaveLength(4);
    await db().query("UPDATE organization SET max_concurrency = 2 WHERE id = $1", [acme.id]);
    expect(await inFlight(acme.id)).toBe(4); // lowering kills nothing
    await completeExecutions(db(), w, running.slice(0, 2).map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
    expect(await claimAll(w, acme.id)).toEqual([]); // 2 in flight, cap 2
    await completeExecutions(db(), w, [{ executionId: running[2]!.id, leaseToken: running[2]!.leaseToken, status: "SUCCESS" }]);
    expect(await claimAll(w, acme.id)).toHaveLength(1);
    await db().query("UPDATE organization SET max_concurrency = 5 WHERE id = $1", [acme.id]);
    expect(await claimAll(w, acme.id)).toHaveLength(3);
    await db().query("UPDATE organization SET max_concurrency = 0 WHERE id = $1", [acme.id]);
    expect(await claimAll(w, acme.id)).toHaveLength(10 - 4 - 4);
  });
});
