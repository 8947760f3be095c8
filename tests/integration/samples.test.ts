import { describe, expect, it } from "vitest";
import { claimExecutions } from "../../lib/dispatch/claim";
import { recordSamples } from "../../lib/samples/record-samples";
import { submitExecution } from "../../lib/dispatch/submit";
import { db, flow, org, worker } from "./helpers/fixtures";

describe("concurrency samples for the charts", () => {
  it("records in-flight and queued per org and per flow, and drops samples past retention", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId);
    for (let i = 0; i < 3; i++) await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    await claimExecutions(db(), { workerId: await worker(), limit: 1, orgId: acme.id });
    const at = new Date();
    expect(await recordSamples(db(), at)).toBeGreaterThanOrEqual(2);
    const rows = await db().query("SELECT flow_id, in_flight, queued FROM concurrency_sample WHERE org_id = $1 AND at = $2 ORDER BY flow_id NULLS FIRST", [acme.id, at]);
    expect(rows.rows).toEqual([
      { flow_id: null, in_flight: 1, queued: 2 },
      { flow_id: f, in_flight: 1, queued: 2 },
    ]);
    await recordSamples(db(), new Date(at.getTime() + 25 * 3600_000));
    expect((await db().query("SELECT count(*)::int AS n FROM concurrency_sample WHERE at = $1", [at])).rows[0].n).toBe(0);
  });

  it("takes one sample per interval however many processes run the sampler", async () => {
    await org();
    const start = new Date(Date.now() + 48 * 3600_000); // after the other test's samples
    const every = 5_000;
    // Three processes whose timers fire within the same interval, then again one interval later.
    const taken = [];
    for (const offset of [0, 300, 900, every + 100, every + 400]) taken.push(await recordSamples(db(), new Date(start.getTime() + offset), every * 0.8));
    expect(taken.map((n) => n > 0)).toEqual([true, false, false, true, false]);
  });
});
