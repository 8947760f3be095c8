import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { claimExecutions } from "../../lib/dispatch/claim";
import { pauseExecution, resumeExecution } from "../../lib/dispatch/pause-resume";
import { killExecution } from "../../lib/dispatch/kill";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution } from "../../lib/dispatch/submit";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { getParallelSettingDetails, updateParallelSettings } from "../../lib/orgs/parallel-settings";
import { prisma } from "../../lib/db/client";
import { clearLiveWork, db, inFlight, org, stateOf, worker } from "./helpers/fixtures";

async function runningExecutions(orgId: string, n: number, maxConcurrency: number) {
  const w = await worker();
  const ids = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), { orgId, projectId: (await db().query("SELECT id FROM project WHERE org_id = $1 LIMIT 1", [orgId])).rows[0].id })).id);
  const { claimed } = await claimExecutions(db(), { workerId: w, limit: maxConcurrency, orgId });
  return { w, claimed, ids };
}

describe("paused executions and max_paused_slots", () => {
  beforeEach(clearLiveWork);

  it("max_paused_slots = 0: paused executions keep their slot, nothing new starts", async () => {
    const acme = await org({ maxConcurrency: 2, maxPausedSlots: 0 });
    const { w, claimed } = await runningExecutions(acme.id, 3, 2);
    await pauseExecution(db(), { executionId: claimed[0]!.id, leaseToken: claimed[0]!.leaseToken, workerId: w });
    expect(await stateOf(claimed[0]!.id)).toMatchObject({ state: "PAUSED", holds_slot: true });
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed).toEqual([]);
  });

  it("max_paused_slots = N: the first N paused free their slot, later ones keep it", async () => {
    const acme = await org({ maxConcurrency: 3, maxPausedSlots: 1 });
    const { w, claimed } = await runningExecutions(acme.id, 6, 3);
    await pauseExecution(db(), { executionId: claimed[0]!.id, leaseToken: claimed[0]!.leaseToken, workerId: w });
    await pauseExecution(db(), { executionId: claimed[1]!.id, leaseToken: claimed[1]!.leaseToken, workerId: w });
    expect(await stateOf(claimed[0]!.id)).toMatchObject({ state: "PAUSED", holds_slot: false });
    expect(await stateOf(claimed[1]!.id)).toMatchObject({ state: "PAUSED", holds_slot: true });
    expect(await inFlight(acme.id)).toBe(2);
    // One slot was freed by the first pause: exactly one new execution starts.
    const next = (await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed;
    expect(next).toHaveLength(1);
    expect(await inFlight(acme.id)).toBe(3);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("resuming an execution that freed its slot re-checks every cap, ahead of new work", async () => {
    const acme = await org({ maxConcurrency: 2, maxPausedSlots: 1 });
    const { w, claimed } = await runningExecutions(acme.id, 5, 2);
    const paused = claimed[0]!;
    await pauseExecution(db(), { executionId: paused.id, leaseToken: paused.leaseToken, workerId: w });
    const filler = (await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed;
    expect(filler).toHaveLength(1);
    expect(await inFlight(acme.id)).toBe(2);

    // A system that skipped the check would let this run (3 > 2). Slotwise queues it.
    expect(await resumeExecution(db(), { executionId: paused.id, by: { workerId: w } })).toEqual({ state: "QUEUED", holdsSlot: false });
    expect(await inFlight(acme.id)).toBe(2);
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed).toEqual([]);

    await killExecution(db(), { executionId: filler[0]!.id, actor: "test" });
    const after = (await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed;
    // Resumed work goes first, keeps its attempt count, and the claim says it was resumed.
    expect(after.map((c) => c.id)).toEqual([paused.id]);
    expect(after[0]!.attempt).toBe(1);
    expect(after[0]!.resumed).toBe(true);
    expect(filler[0]!.resumed).toBe(false);
  });

  it("resuming an execution that still holds its slot keeps the slot on the way to the next claim, whoever's it is", async () => {
    const acme = await org({ maxConcurrency: 2, maxPausedSlots: 0 });
    const { w, claimed } = await runningExecutions(acme.id, 3, 2);
    const p = claimed[0]!;
    await pauseExecution(db(), { executionId: p.id, leaseToken: p.leaseToken, workerId: w });
    await expect(resumeExecution(db(), { executionId: p.id, by: { workerId: randomUUID() } })).rejects.toMatchObject({ status: 404 });
    expect((await stateOf(p.id)).state).toBe("PAUSED");
    expect(await resumeExecution(db(), { executionId: p.id, by: { workerId: w } })).toEqual({ state: "QUEUED", holdsSlot: true });
    expect(await stateOf(p.id)).toMatchObject({ state: "QUEUED", holds_slot: true });
    expect(await inFlight(acme.id)).toBe(2);
    // Another worker's claim continues it in its slot, with a new lease; the third execution
    // still waits (the org is full: the slot was never free).
    const other = await worker();
    const next = (await claimExecutions(db(), { workerId: other, limit: 5, orgId: acme.id })).claimed;
    expect(next.map((c) => ({ id: c.id, resumed: c.resumed, attempt: c.attempt, leaseToken: c.leaseToken }))).toEqual([{ id: p.id, resumed: true, attempt: 1, leaseToken: p.leaseToken + 1 }]);
    expect(await inFlight(acme.id)).toBe(2);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("when a slot-freeing paused execution resumes, the next paused one frees its slot instead", async () => {
    const acme = await org({ maxConcurrency: 10, maxPausedSlots: 1 });
    const { w, claimed } = await runningExecutions(acme.id, 2, 2);
    await pauseExecution(db(), { executionId: claimed[0]!.id, leaseToken: claimed[0]!.leaseToken, workerId: w });
    await pauseExecution(db(), { executionId: claimed[1]!.id, leaseToken: claimed[1]!.leaseToken, workerId: w });
    expect((await stateOf(claimed[1]!.id)).holds_slot).toBe(true);
    await resumeExecution(db(), { executionId: claimed[0]!.id, by: { workerId: w } });
    expect((await stateOf(claimed[1]!.id)).holds_slot).toBe(false);
    const history = await db().query("SELECT to_state, holds_slot FROM execution_transition WHERE execution_id = $1 ORDER BY id", [claimed[1]!.id]);
    expect(history.rows.at(-1)).toEqual({ to_state: "PAUSED", holds_slot: false });
  });

  it("pausing needs the live lease", async () => {
    const acme = await org();
    const { w, claimed } = await runningExecutions(acme.id, 1, 1);
    await expect(pauseExecution(db(), { executionId: claimed[0]!.id, leaseToken: claimed[0]!.leaseToken + 1, workerId: w })).rejects.toMatchObject({ status: 409 });
    expect((await stateOf(claimed[0]!.id)).state).toBe("RUNNING");
  });

  it("lowering max_paused_slots applies at once: the details warn before and after, nothing is killed, the org waits below its cap", async () => {
    const acme = await org({ maxConcurrency: 3, maxPausedSlots: 3 });
    const first = await runningExecutions(acme.id, 3, 3);
    for (const c of first.claimed) await pauseExecution(db(), { executionId: c.id, leaseToken: c.leaseToken, workerId: first.w });
    const second = await runningExecutions(acme.id, 4, 3); // three start in the freed slots, one waits
    expect(second.claimed).toHaveLength(3);
    expect(await inFlight(acme.id)).toBe(3);
    // Before: what lowering to 1 would do.
    const preview = (await getParallelSettingDetails(prisma(), acme.id, 1)).paused;
    expect(preview).toMatchObject({ value: 1, paused: 3, holdAgain: 2, over: [{ cap: "org", limit: 3, inFlight: 5, by: 2 }] });
    expect(preview.message).toBe("Lowering to 1 makes 2 paused executions hold slots again: the org will be 2 over its cap of 3 until they finish.");
    expect((await getParallelSettingDetails(prisma(), acme.id)).paused).toMatchObject({ holdAgain: 0, over: [], message: null });
    // Lowered: the two paused last hold their slots again, nothing is killed.
    await updateParallelSettings(db(), acme.id, { max_paused_slots: 1 }, "test");
    expect((await Promise.all(first.claimed.map((c) => stateOf(c.id)))).map((r) => [r.state, r.holds_slot])).toEqual([["PAUSED", false], ["PAUSED", true], ["PAUSED", true]]);
    expect(await inFlight(acme.id)).toBe(5);
    // After: the details say the org is above its cap; explain says so for what waits; nothing starts.
    const after = (await getParallelSettingDetails(prisma(), acme.id)).paused;
    expect(after).toMatchObject({ value: 1, holdAgain: 0, over: [{ cap: "org", limit: 3, inFlight: 5, by: 2 }] });
    expect(after.message).toMatch(/^The org is 2 over its cap of 3 until executions finish/);
    const waiting = second.ids.find((id) => !second.claimed.some((c) => c.id === id))!;
    expect((await explainExecution(db(), waiting, acme.id))[0]).toMatchObject({ code: "cap_full", cap: "org", limit: 3, inFlight: 5 });
    expect((await claimExecutions(db(), { workerId: second.w, limit: 5, orgId: acme.id })).claimed).toEqual([]);
    for (const c of second.claimed) expect((await stateOf(c.id)).state).toBe("RUNNING");
  });
});
