import { describe, expect, it } from "vitest";
import * as executions from "../../app/api/executions/route";
import * as ruleKeys from "../../app/api/orgs/[orgId]/key-rules/[ruleId]/keys/route";
import { claimExecutions, completeExecutions, type ClaimedExecution } from "../../lib/dispatch/claim";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { submitExecution, type SubmitInput } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, keyRule, org, queue, worker } from "./helpers/fixtures";

// Concurrency keys (docs/limits.md): a limit per key value over a flow, a queue or the org,
// overrides for single keys, keys as caps like every other (never exceeded, explained, one
// full key never holding up another), and free slots of an org going round-robin across keys.

async function submitKeyed(n: number, input: SubmitInput, key: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), { ...input, payload: { customerId: key, i } })).id);
  return ids;
}

const keyOf = (c: ClaimedExecution) => (c.payload as { customerId: string }).customerId;
const byKey = (claimed: readonly ClaimedExecution[]) => {
  const counts: Record<string, number> = {};
  for (const c of claimed) counts[keyOf(c)] = (counts[keyOf(c)] ?? 0) + 1;
  return counts;
};

async function done(workerId: string, claimed: readonly ClaimedExecution[]) {
  await completeExecutions(db(), workerId, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
}

describe("concurrency keys", () => {
  it("limit each key of a flow, an override gives one key its own, and edits apply at the next claim", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    const rule = await keyRule(acme.id, { flowId: etl, path: "/customerId", limit: 2 });
    await db().query(`INSERT INTO concurrency_key_override (rule_id, key_value, "limit") VALUES ($1, 'big', 4)`, [rule]);
    const input = { orgId: acme.id, projectId: acme.projectId, flowId: etl };
    for (const key of ["a", "b", "big"]) await submitKeyed(6, input, key);
    // Outside the flow, the rule does not apply.
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, payload: { customerId: "a" } });
    const w = await worker();
    const first = (await claimExecutions(db(), { workerId: w, limit: 50, orgId: acme.id })).claimed;
    expect(byKey(first)).toEqual({ a: 3, b: 2, big: 4 });
    expect((await claimExecutions(db(), { workerId: w, limit: 50, orgId: acme.id })).claimed).toEqual([]);

    // One finished key frees a slot for that key only.
    const a = first.filter((c) => keyOf(c) === "a" && c.flowId === etl);
    await done(w, a.slice(0, 1));
    expect(byKey((await claimExecutions(db(), { workerId: w, limit: 50, orgId: acme.id })).claimed)).toEqual({ a: 1 });

    // Raised: more start at once; lowered below what runs: nothing new starts for that key.
    await db().query(`UPDATE concurrency_key_rule SET "limit" = 3 WHERE id = $1`, [rule]);
    await db().query(`UPDATE concurrency_key_override SET "limit" = 1 WHERE rule_id = $1`, [rule]);
    expect(byKey((await claimExecutions(db(), { workerId: w, limit: 50, orgId: acme.id })).claimed)).toEqual({ a: 1, b: 1 });

    // Deleting the rule frees every key of it at the next claim.
    await db().query("DELETE FROM concurrency_key_rule WHERE id = $1", [rule]);
    expect(byKey((await claimExecutions(db(), { workerId: w, limit: 50, orgId: acme.id })).claimed)).toEqual({ a: 2, b: 3, big: 2 });
  });

  it("one full key never holds up the others, whatever its backlog and age", async () => {
    const acme = await org();
    const q = await queue(acme.id, "imports");
    await keyRule(acme.id, { queueId: q, path: "/customerId", limit: 1 });
    const input = { orgId: acme.id, projectId: acme.projectId, queue: "imports" };
    await submitKeyed(200, input, "hog");
    await submitKeyed(1, input, "small");
    const w = await worker();
    const claimed = (await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id })).claimed;
    expect(byKey(claimed)).toEqual({ hog: 1, small: 1 });
  });

  it("free slots of an org go round-robin across the keys of a rule", async () => {
    const acme = await org({ maxConcurrency: 12 });
    const other = await flow(acme.id, acme.projectId);
    const etl = await flow(acme.id, acme.projectId);
    await keyRule(acme.id, { flowId: etl, path: "/customerId", limit: 100 });
    const input = { orgId: acme.id, projectId: acme.projectId, flowId: etl };
    // Unkeyed work competes with the rule's turn by age: the oldest here, it goes first.
    await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: other, payload: { customerId: "none" } });
    // The oldest keyed backlog by far belongs to one key.
    await submitKeyed(50, input, "hog");
    for (const key of ["k1", "k2", "k3", "k4", "k5"]) await submitKeyed(5, input, key);
    const w = await worker();
    const claimed = (await claimExecutions(db(), { workerId: w, limit: 12, orgId: acme.id })).claimed;
    // Every key gets a turn before any gets a second.
    expect(claimed.map(keyOf)).toEqual(["none", "hog", "k1", "k2", "k3", "k4", "k5", "hog", "k1", "k2", "k3", "k4"]);
  });

  it("explain names the key, its rule and what it covers", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await db().query("UPDATE flow SET name = 'etl' WHERE id = $1", [etl]);
    const rule = await keyRule(acme.id, { flowId: etl, path: "/customerId", limit: 2 });
    await db().query("UPDATE concurrency_key_rule SET name = 'per-customer' WHERE id = $1", [rule]);
    const [, , third] = await submitKeyed(3, { orgId: acme.id, projectId: acme.projectId, flowId: etl }, "customer-42");
    await claimExecutions(db(), { workerId: await worker(), limit: 10, orgId: acme.id });
    const reasons = await explainExecution(db(), third!, acme.id);
    expect(reasons[0]).toMatchObject({
      code: "cap_full", cap: "key", limit: 2, inFlight: 2,
      key: { ruleId: rule, rule: "per-customer", value: "customer-42", of: "flow etl" },
      message: "key customer-42 of flow etl (rule per-customer) is full: 2 of 2 in flight.",
    });
  });

  it("refuses a submission without the key a rule reads, naming where it looked; nothing is created", async () => {
    const w = await apiWorld("keys-422");
    const a = w.a.id;
    const etl = await flow(a, w.a.projectId);
    await keyRule(a, { flowId: etl, path: "/customer/id" });
    await keyRule(a, { flowId: etl });
    const before = (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [a])).rows[0]!.n;
    for (const payload of [{}, { customer: { id: { nested: true } } }, { customer: { id: "x".repeat(201) } }]) {
      const res = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, flowId: etl, payload } });
      expect(res.status).toBe(422);
      expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(["concurrencyKey", "payload/customer/id"]);
    }
    expect((await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE org_id = $1", [a])).rows[0]!.n).toBe(before);
    const ok = await call(executions.POST, "POST", "/api/executions", {
      token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, flowId: etl, payload: { customer: { id: 42 } }, concurrencyKey: "tenant-1" },
    });
    expect(ok.status).toBe(201);
  });

  it("the keys view: running, queued, scheduled and limit per key, busiest first, searchable", async () => {
    const w = await apiWorld("keys-view");
    const a = w.a.id;
    const etl = await flow(a, w.a.projectId);
    const rule = await keyRule(a, { flowId: etl, path: "/customerId", limit: 2, rate: { limit: 100, periodMs: 60_000 } });
    await db().query(`INSERT INTO concurrency_key_override (rule_id, key_value, "limit") VALUES ($1, 'big', 5)`, [rule]);
    const input = { orgId: a, projectId: w.a.projectId, flowId: etl };
    await submitKeyed(3, input, "small");
    await submitKeyed(6, input, "big");
    await submitExecution(db(), { ...input, payload: { customerId: "later" }, delayMs: 60_000 });
    await claimExecutions(db(), { workerId: await worker(), limit: 50, orgId: a });
    const view = async (query = "") => (await call(ruleKeys.GET, "GET", `/api/orgs/${a}/key-rules/${rule}/keys${query}`, { token: w.tokens.memberA, params: { orgId: a, ruleId: rule } })).json;
    const all = await view();
    expect(all.total).toBe(3);
    expect(all.items.map((k: { key: string; running: number; queued: number; scheduled: number; limit: number; overridden: boolean }) => [k.key, k.running, k.queued, k.scheduled, k.limit, k.overridden])).toEqual([
      ["big", 5, 1, 0, 5, true],
      ["small", 2, 1, 0, 2, false],
      ["later", 0, 0, 1, 2, false],
    ]);
    expect(all.items[0].rate).toEqual({ starts: 5, limit: 100, periodMs: 60_000, nextStartAt: null });
    expect((await view("?sort=key")).items.map((k: { key: string }) => k.key)).toEqual(["big", "later", "small"]);
    expect(await view("?search=SMA")).toMatchObject({ total: 1, items: [{ key: "small" }] });
    expect((await view("?limit=1")).items).toHaveLength(1);
  });
});
