import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { claimExecutions } from "../../lib/dispatch/claim";
import { killExecution } from "../../lib/dispatch/kill";
import { submitExecution } from "../../lib/dispatch/submit";
import { databaseUrl } from "../../lib/core/env";
import { concurrencyPool, db, flow, org, project, queue, worker } from "./helpers/fixtures";

// Claims keep lane configuration in memory per connection pool (lib/dispatch/sql/lane-cache.ts).
// Here a second pool plays another app instance: its cache is warm, and edits made through
// the first pool must still apply to its very next claim. The same holds for the queued
// executions it keeps per lane (lib/dispatch/sql/head-cache.ts).

const other = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
afterAll(() => other.end());

const claimOn = async (pool: pg.Pool, workerId: string, orgId: string, queues?: string[], limit = 50) =>
  (await claimExecutions(pool, { workerId, limit, orgId, queues })).claimed;

describe("lane configuration cache", () => {
  it("edits from another instance apply at the next claim: flow limit, pool limit, a project joining a pool", async () => {
    const acme = await org();
    const f = await flow(acme.id, acme.projectId, { limit: 1 });
    const w = await worker();
    for (let i = 0; i < 6; i++) await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: f });
    expect(await claimOn(other, w, acme.id)).toHaveLength(1); // warms `other`'s cache

    await db().query("UPDATE flow SET concurrency_limit = 3 WHERE id = $1", [f]);
    expect(await claimOn(other, w, acme.id)).toHaveLength(2);

    const shared = await concurrencyPool(acme.id, 1);
    const pooled = await project(acme.id);
    for (let i = 0; i < 3; i++) await submitExecution(db(), { orgId: acme.id, projectId: pooled });
    expect(await claimOn(other, w, acme.id)).toHaveLength(3); // no pool yet: the project's default cap only
    for (let i = 0; i < 3; i++) await submitExecution(db(), { orgId: acme.id, projectId: pooled });
    await db().query("UPDATE project SET pool_id = $2 WHERE id = $1", [pooled, shared]);
    expect(await claimOn(other, w, acme.id)).toHaveLength(0); // the pool (limit 1) already has 3 in flight
    await db().query('UPDATE concurrency_pool SET "limit" = 5 WHERE id = $1', [shared]);
    expect(await claimOn(other, w, acme.id)).toHaveLength(2);
  });

  it("a renamed queue is served under its new name only", async () => {
    const beta = await org();
    const q = await queue(beta.id, "before");
    const w = await worker();
    for (let i = 0; i < 2; i++) await submitExecution(db(), { orgId: beta.id, projectId: beta.projectId, queue: "before" });
    expect(await claimOn(other, w, beta.id, ["before"], 1)).toHaveLength(1);
    await db().query("UPDATE queue SET name = 'after' WHERE id = $1", [q]);
    expect(await claimOn(other, w, beta.id, ["before"])).toHaveLength(0);
    expect(await claimOn(other, w, beta.id, ["after"])).toHaveLength(1);
  });

  it("queued heads kept by one instance: a later, more urgent submission and a kill from another instance count at its next claim", async () => {
    const gamma = await org();
    const w = await worker();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await submitExecution(db(), { orgId: gamma.id, projectId: gamma.projectId })).id);
    expect((await claimOn(other, w, gamma.id, undefined, 1)).map((c) => c.id)).toEqual([ids[0]]); // `other` now holds the next heads

    const urgent = (await submitExecution(db(), { orgId: gamma.id, projectId: gamma.projectId, priority: 10 })).id;
    expect((await claimOn(other, w, gamma.id, undefined, 1)).map((c) => c.id)).toEqual([urgent]);

    await killExecution(db(), { executionId: ids[1]!, actor: "test" });
    expect((await claimOn(other, w, gamma.id, undefined, 5)).map((c) => c.id)).toEqual([ids[2], ids[3]]);
  });

  it("a lane's version changes with every change of its queue", async () => {
    const delta = await org();
    const w = await worker();
    const version = async () => Number((await db().query("SELECT version FROM dispatch_lane WHERE org_id = $1", [delta.id])).rows[0].version);
    const first = (await submitExecution(db(), { orgId: delta.id, projectId: delta.projectId })).id;
    const v0 = await version();
    await submitExecution(db(), { orgId: delta.id, projectId: delta.projectId });
    expect(await version()).toBe(v0 + 1);
    await killExecution(db(), { executionId: first, actor: "test" });
    expect(await version()).toBe(v0 + 2);
    await claimOn(db(), w, delta.id);
    expect(await version()).toBe(v0 + 3);
  });
});
