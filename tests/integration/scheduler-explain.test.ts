import { beforeEach, describe, expect, it } from "vitest";
import { claimExecutions } from "../../lib/dispatch/claim";
import { AHEAD_COUNT_LIMIT } from "../../lib/dispatch/policy/explain";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { submitExecution } from "../../lib/dispatch/submit";
import { registerWorker } from "../../lib/workers/registry";
import { listExecutions } from "../../lib/executions/list-executions";
import { clearLiveWork, db, flow, org, worker } from "./helpers/fixtures";

describe("explain: why a queued execution waits", () => {
  beforeEach(clearLiveWork);

  it("names the full caps with scope, limit and in-flight", async () => {
    const acme = await org({ maxConcurrency: 1 });
    const f = await flow(acme.id, acme.projectId, { limit: 1 });
    const w = await worker({ queues: ["default"] });
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    const waiting = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id });
    const reasons = await explainExecution(db(), waiting.id, acme.id);
    expect(reasons.map((r) => r.code === "cap_full" && [r.cap, r.limit, r.inFlight])).toEqual([
      ["org", 1, 1],
      ["flow", 1, 1],
    ]);
    expect(reasons[0]!.message).toBe("the organization's max concurrency is full: 1 in flight, limit 1.");
  });

  it("says it waits behind others in fair order when every cap has room", async () => {
    const acme = await org();
    await worker({ queues: [] });
    const first = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const second = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const reasons = await explainExecution(db(), second.id, acme.id);
    expect(reasons).toEqual([expect.objectContaining({ code: "fair_order", orgsAhead: 0, aheadInOrg: 1 })]);
    expect(await explainExecution(db(), first.id, acme.id)).toEqual([]);
  });

  it("stops counting the executions ahead past AHEAD_COUNT_LIMIT (no backlog scan)", async () => {
    const acme = await org();
    await worker({ queues: [] });
    const first = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    // A backlog bigger than the limit, in bulk, in the first one's lane (counter kept in step).
    const extra = AHEAD_COUNT_LIMIT + 5;
    await db().query(
      `INSERT INTO execution (org_id, project_id, queue_id, kind, lane_id, depth, priority)
       SELECT org_id, project_id, queue_id, kind, lane_id, depth, priority FROM execution, generate_series(1, $2) WHERE id = $1`,
      [first.id, extra],
    );
    await db().query("UPDATE dispatch_lane SET queued = queued + $2 WHERE id = (SELECT lane_id FROM execution WHERE id = $1)", [first.id, extra]);
    const last = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const reasons = await explainExecution(db(), last.id, acme.id);
    expect(reasons).toEqual([expect.objectContaining({ code: "fair_order", aheadInOrg: AHEAD_COUNT_LIMIT + 1 })]);
    expect(reasons[0]!.message).toContain("more than 10,000 execution(s) of its organization are ahead of it");
  });

  it("says when no live worker serves its queue", async () => {
    const acme = await org();
    await db().query("UPDATE worker SET last_seen_at = now() - interval '1 hour'");
    const e = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    expect(await explainExecution(db(), e.id, acme.id)).toEqual([expect.objectContaining({ code: "no_worker", queue: "default" })]);
  });

  it("names busy workers when every cap has room: all workers serving the queue hold what they declared they run", async () => {
    // Found by a tour (#18): a queued execution waited minutes because every worker was busy,
    // and explain said "Every cap has room".
    await db().query("UPDATE worker SET last_seen_at = now() - interval '1 hour'");
    const acme = await org();
    const { id: w } = await registerWorker(db(), { name: "small", orgId: null, queues: [], concurrency: 1 });
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    expect((await claimExecutions(db(), { workerId: w, limit: 1 })).claimed).toHaveLength(1);
    const waiting = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const reasons = await explainExecution(db(), waiting.id, acme.id);
    expect(reasons).toEqual([expect.objectContaining({ code: "workers_busy", queue: "default", workers: 1, holding: 1, capacity: 1 })]);
    expect(reasons[0]!.message).toBe('Every cap has room, but the 1 worker serving queue "default" is busy: 1 of 1 slots claimed. It starts when one of them finishes something (or add workers).');
    // A second worker that has room: nothing holds it back any more.
    await registerWorker(db(), { name: "roomy", orgId: null, queues: [], concurrency: 4 });
    expect(await explainExecution(db(), waiting.id, acme.id)).toEqual([]);
  });

  it("says when the workers serving the queue stopped claiming, though they are live", async () => {
    await db().query("UPDATE worker SET last_seen_at = now() - interval '1 hour'");
    const acme = await org();
    const { id: w } = await registerWorker(db(), { name: "stuck", orgId: null, queues: ["default"] });
    await db().query("UPDATE worker SET last_claim_at = now() - interval '40 minutes', created_at = now() - interval '2 hours' WHERE id = $1", [w]);
    const e = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const reasons = await explainExecution(db(), e.id, acme.id);
    expect(reasons).toEqual([expect.objectContaining({ code: "workers_not_claiming", queue: "default", workers: 1 })]);
    expect(reasons[0]!.message).toBe('No worker has claimed from queue "default" for 40 min (1 live worker serves it, still sending heartbeats).');
  });

  it("gives each queued row of a list its first reason: a full cap, a schedule, busy workers, or none but its turn", async () => {
    await db().query("UPDATE worker SET last_seen_at = now() - interval '1 hour'");
    const acme = await org();
    const f = await flow(acme.id, acme.projectId, { limit: 1 });
    const { id: w } = await registerWorker(db(), { name: "one", orgId: null, queues: [], concurrency: 1 });
    const running = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    expect((await claimExecutions(db(), { workerId: w, limit: 1 })).claimed).toHaveLength(1);
    const capped = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    const later = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, delayMs: 3_600_000 });
    const free = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    const { items } = await listExecutions(db(), [acme.id], { orgId: acme.id, limit: 50 });
    const why = new Map(items.map((e) => [e.id, e.waitingFor?.code ?? null]));
    expect(why.get(running.id)).toBeNull();
    expect(why.get(capped.id)).toBe("cap_full");
    expect(why.get(later.id)).toBe("scheduled");
    expect(why.get(free.id)).toBe("workers_busy");
    // With room on a worker, the free one has nothing but its turn.
    await registerWorker(db(), { name: "two", orgId: null, queues: [], concurrency: 4 });
    const again = new Map((await listExecutions(db(), [acme.id], { orgId: acme.id, limit: 50 })).items.map((e) => [e.id, e.waitingFor?.code ?? null]));
    expect(again.get(free.id)).toBeNull();
    expect(again.get(capped.id)).toBe("cap_full");
  });

  it("hides executions of other orgs", async () => {
    const acme = await org();
    const beta = await org();
    const e = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId });
    await expect(explainExecution(db(), e.id, beta.id)).rejects.toMatchObject({ status: 404 });
  });
});
