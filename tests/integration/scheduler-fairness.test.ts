import { beforeEach, describe, expect, it } from "vitest";
import { randomFor } from "../support/random";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { submitInTx } from "../../lib/dispatch/submit";
import { withTransaction } from "../../lib/db/transaction";
import { clearLiveWork, db, inFlight, keyRule, org, worker } from "./helpers/fixtures";

async function backlog(orgId: string, projectId: string, n: number): Promise<void> {
  await withTransaction(db(), async (tx) => {
    for (let i = 0; i < n; i++) await submitInTx(tx, { orgId, projectId });
  });
}

describe("weighted fair order through the real claim path", () => {
  beforeEach(clearLiveWork);

  it("the README's worked example: Beta (0/1) gets the next slot, then Gamma (5/5), then Acme (2/1)", async () => {
    const acme = await org({ name: "Acme Corp", weight: 1 });
    const beta = await org({ name: "Beta Inc", weight: 1 });
    const gamma = await org({ name: "Gamma LLC", weight: 5 });
    const w = await worker();
    // Put Acme at 2 in flight and Gamma at 5, with Beta idle.
    await backlog(acme.id, acme.projectId, 2);
    await claimExecutions(db(), { workerId: w, limit: 2, orgId: acme.id });
    await backlog(gamma.id, gamma.projectId, 5);
    await claimExecutions(db(), { workerId: w, limit: 5, orgId: gamma.id });
    await backlog(acme.id, acme.projectId, 3);
    await backlog(gamma.id, gamma.projectId, 3);
    await backlog(beta.id, beta.projectId, 3);

    const mine = new Set([acme.id, beta.id, gamma.id]);
    const next = async () => {
      const [c] = (await claimExecutions(db(), { workerId: w, limit: 1 })).claimed;
      expect(c && mine.has(c.orgId)).toBe(true);
      return c!.orgId;
    };
    expect(await next()).toBe(beta.id); // Beta 0.0 → 1.0
    // Beta 1/1 = 1.0 ties Gamma 5/5 = 1.0: the older candidate (Gamma's) goes first.
    expect(await next()).toBe(gamma.id); // Gamma → 6/5 = 1.2
    expect(await next()).toBe(beta.id); // Beta 1.0 < Gamma 1.2 < Acme 2.0
  });

  it("an org with nothing in flight gets the next slot however large another org's backlog", async () => {
    const big = await org({ weight: 1 });
    const small = await org({ weight: 1 });
    const w = await worker();
    await backlog(big.id, big.projectId, 500);
    await claimExecutions(db(), { workerId: w, limit: 5, orgId: big.id });
    await backlog(small.id, small.projectId, 1);
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 1, orgId: null, queues: ["default"] });
    expect(claimed[0]?.orgId).toBe(small.id);
  });

  it("an org blocked by its own cap never blocks other orgs", async () => {
    const capped = await org({ weight: 10, maxConcurrency: 1 });
    const other = await org({ weight: 1 });
    const w = await worker();
    await backlog(capped.id, capped.projectId, 50);
    await backlog(other.id, other.projectId, 5);
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 6 });
    expect(claimed.filter((c) => c.orgId === capped.id)).toHaveLength(1);
    expect(claimed.filter((c) => c.orgId === other.id)).toHaveLength(5);
  });

  it("under saturation each org's in-flight share tends to its weight share (1/2/5)", async () => {
    const orgs = [await org({ weight: 1 }), await org({ weight: 2 }), await org({ weight: 5 })];
    const ids = new Set(orgs.map((o) => o.id));
    for (const o of orgs) await backlog(o.id, o.projectId, 400);
    const w = await worker();
    const capacity = 16;
    const running = (await claimExecutions(db(), { workerId: w, limit: capacity })).claimed.filter((c) => ids.has(c.orgId));
    const share = new Map(orgs.map((o) => [o.id, 0]));
    let samples = 0;
    const random = randomFor("fairness-under-saturation");
    for (let step = 0; step < 300; step++) {
      // One execution finishes (equal durations: a random one), its slot is refilled fairly.
      const [done] = running.splice(Math.floor(random() * running.length), 1);
      const { claimed } = await claimExecutions(db(), {
        workerId: w,
        limit: 1,
        complete: [{ executionId: done!.id, leaseToken: done!.leaseToken, status: "SUCCESS" }],
      });
      running.push(...claimed);
      for (const o of orgs) share.set(o.id, share.get(o.id)! + (await inFlight(o.id)));
      samples++;
    }
    const total = [...share.values()].reduce((a, b) => a + b, 0);
    const expected = [1 / 8, 2 / 8, 5 / 8];
    orgs.forEach((o, i) => expect(Math.abs(share.get(o.id)! / total - expected[i]!)).toBeLessThan(0.02));
    expect(samples).toBe(300);
    await completeExecutions(db(), w, running.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
  });
});

describe("fairness with concurrency keys", () => {
  beforeEach(clearLiveWork);

  /** An org-wide key rule and `keys` lanes of `perKey` queued executions each, written in bulk (as many submissions would). */
  async function keyedBacklog(orgId: string, projectId: string, keys: number, perKey: number): Promise<void> {
    const ruleId = await keyRule(orgId, { path: "/k", limit: 10 });
    const queueId = (await db().query<{ id: string }>("INSERT INTO queue (org_id, name) VALUES ($1, 'default') ON CONFLICT (org_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id", [orgId])).rows[0]!.id;
    await db().query(
      `WITH lanes AS (
         INSERT INTO dispatch_lane (key, org_id, project_id, queue_id, kind, key_rule_ids, key_values, queued)
         SELECT 'bulk:' || $1 || ':' || k, $1::uuid, $2::uuid, $3::uuid, 'job', ARRAY[$4::uuid], ARRAY['key-' || k], $6::int
           FROM generate_series(1, $5) AS k
         RETURNING id, key_values[1] AS value)
       INSERT INTO execution (org_id, project_id, queue_id, kind, lane_id, key_rule_ids, key_values, payload)
       SELECT $1::uuid, $2::uuid, $3::uuid, 'job', l.id, ARRAY[$4::uuid], ARRAY[l.value], jsonb_build_object('k', l.value)
         FROM lanes l CROSS JOIN generate_series(1, $6::int)`,
      [orgId, projectId, queueId, ruleId, keys, perKey],
    );
  }

  it("one org with 10,000 keys next to 99 orgs: shares track weights, and the big org's keys take turns", async () => {
    // Capacity twice the total weight (50 + 33 × (1 + 2 + 3) = 248): every org's fair share is a
    // whole number of slots, so the shares can be held to weights closely.
    const capacity = 496;
    await db().query("UPDATE platform_settings SET global_capacity = $1", [capacity]);
    try {
      const big = await org({ weight: 50 });
      await keyedBacklog(big.id, big.projectId, 10_000, 3);
      const others = [];
      for (let i = 0; i < 99; i++) {
        const o = await org({ weight: 1 + (i % 3) });
        await backlog(o.id, o.projectId, 40);
        others.push({ ...o, weight: 1 + (i % 3) });
      }
      const weightOf = new Map([[big.id, 50], ...others.map((o) => [o.id, o.weight] as const)]);
      const totalWeight = [...weightOf.values()].reduce((a, b) => a + b, 0);
      const w = await worker();
      const running = (await claimExecutions(db(), { workerId: w, limit: capacity })).claimed;
      const started = [...running];
      const slotSteps = new Map([...weightOf.keys()].map((id) => [id, 0]));
      const random = randomFor("fairness-10k-keys");
      const steps = 300;
      for (let step = 0; step < steps; step++) {
        const [done] = running.splice(Math.floor(random() * running.length), 1);
        const { claimed } = await claimExecutions(db(), { workerId: w, limit: 1, complete: [{ executionId: done!.id, leaseToken: done!.leaseToken, status: "SUCCESS" }] });
        running.push(...claimed);
        started.push(...claimed);
        for (const c of running) slotSteps.set(c.orgId, slotSteps.get(c.orgId)! + 1);
      }
      const share = (ids: readonly string[]) => ids.reduce((sum, id) => sum + slotSteps.get(id)!, 0) / (steps * capacity);
      const expected = (ids: readonly string[]) => ids.reduce((sum, id) => sum + weightOf.get(id)!, 0) / totalWeight;
      expect(Math.abs(share([big.id]) - expected([big.id]))).toBeLessThan(0.02);
      for (const weight of [1, 2, 3]) {
        const ids = others.filter((o) => o.weight === weight).map((o) => o.id);
        expect(Math.abs(share(ids) - expected(ids)), `orgs of weight ${weight}`).toBeLessThan(0.02);
      }
      // Round-robin within the big org: no key started twice while others had not started once.
      const bigKeys = started.filter((c) => c.orgId === big.id).map((c) => (c.payload as { k: string }).k);
      expect(bigKeys.length).toBeGreaterThan(100);
      expect(new Set(bigKeys).size).toBe(bigKeys.length);
      await completeExecutions(db(), w, running.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
    } finally {
      await db().query("UPDATE platform_settings SET global_capacity = 0");
    }
  }, 180_000);
});
