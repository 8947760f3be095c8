import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { envLimits } from "../../lib/dispatch/options";
import { pauseExecution } from "../../lib/dispatch/pause-resume";
import { sweepLeftovers } from "../../lib/dispatch/sql/housekeeping";
import { submitExecution } from "../../lib/dispatch/submit";
import { db, keyRule, org, worker } from "./helpers/fixtures";

// The sweeper's leftovers (lib/dispatch/sql/housekeeping.ts): a lane goes when nothing in it
// is queued, running, paused or waiting for its start, and never before — a lane deleted under
// a live execution would leave it outside every count of its lane.

const laneOf = async (id: string) => (await db().query<{ lane: number }>("SELECT coalesce(lane_id, waiting_lane_id)::int AS lane FROM execution WHERE id = $1", [id])).rows[0]!.lane;
const laneExists = async (lane: number) => (await db().query("SELECT 1 FROM dispatch_lane WHERE id = $1", [lane])).rowCount === 1;

describe("empty lanes", () => {
  it("deletes only the lane whose executions all finished; queued, running, paused (with or without its slot) and scheduled ones keep theirs", async () => {
    const o = await org({ name: "lanes" });
    await keyRule(o.id, { limit: 100 }); // one lane per submission key
    await db().query("UPDATE organization SET max_paused_slots = 1 WHERE id = $1", [o.id]);
    const submit = (key: string, extra: { delayMs?: number } = {}) => submitExecution(db(), { orgId: o.id, projectId: o.projectId, concurrencyKey: key, ...extra });
    const running = await submit("running");
    const pausedFree = await submit("paused-free");
    const pausedHolding = await submit("paused-holding");
    const done = await submit("done");
    const wk = await worker();
    const { claimed } = await claimExecutions(db(), { workerId: wk, limit: 10, orgId: o.id });
    expect(claimed.length).toBe(4);
    const lease = (id: string) => claimed.find((c) => c.id === id)!;
    const limits = { envLimits: { ...envLimits(), max_paused_slots: 1 } };
    // The first paused one releases its slot (within max_paused_slots), the second keeps it.
    expect((await pauseExecution(db(), { executionId: pausedFree.id, leaseToken: lease(pausedFree.id).leaseToken, workerId: wk }, limits)).holdsSlot).toBe(false);
    expect((await pauseExecution(db(), { executionId: pausedHolding.id, leaseToken: lease(pausedHolding.id).leaseToken, workerId: wk }, limits)).holdsSlot).toBe(true);
    await completeExecutions(db(), wk, [{ executionId: done.id, leaseToken: lease(done.id).leaseToken, status: "SUCCESS" }]);
    const queued = await submit("queued");
    const scheduled = await submit("scheduled", { delayMs: 3_600_000 });

    const kept = [running, pausedFree, pausedHolding, queued, scheduled];
    const keptLanes = await Promise.all(kept.map((e) => laneOf(e.id)));
    const doneLane = await laneOf(done.id);
    expect(new Set([...keptLanes, doneLane]).size).toBe(6);

    const swept = await sweepLeftovers(db());
    expect(swept.lanes).toBeGreaterThanOrEqual(1);
    expect(await laneExists(doneLane)).toBe(false);
    for (const [i, lane] of keptLanes.entries()) expect(await laneExists(lane), `lane of ${["running", "paused-free", "paused-holding", "queued", "scheduled"][i]}`).toBe(true);
    expect(await Promise.all(kept.map((e) => laneOf(e.id)))).toEqual(keptLanes);
  });
});
