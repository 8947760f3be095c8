import { describe, expect, it } from "vitest";
import * as projects from "../../app/api/orgs/[orgId]/projects/route";
import * as project from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as pools from "../../app/api/orgs/[orgId]/pools/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { concurrencyPool, db, platform, project as createProject, worker } from "./helpers/fixtures";

// Projects and pools as the Projects screen reads them: live in-flight and queued counts, the
// Max Concurrent Jobs that applies (the project's own, or the platform default — which a
// tenant can read only here), and a pool's in-flight shared by its projects.

describe("project and pool usage", () => {
  it("members see each project's in-flight, queued and effective limit, the platform default, and the pool's shared in-flight", async () => {
    const w = await apiWorld("usage");
    await platform({ defaultProjectConcurrency: 7 });
    const shared = await concurrencyPool(w.a.id, 4);
    const pooledA = await createProject(w.a.id, { poolId: shared, maxConcurrentJobs: 3 });
    const pooledB = await createProject(w.a.id, { poolId: shared });
    for (const p of [pooledA, pooledA, pooledB, pooledB, pooledB, w.a.projectId]) await submitExecution(db(), { orgId: w.a.id, projectId: p });
    // Org B's work counts nowhere in org A.
    await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    const runner = await worker({});
    // Pool limit 4: two of pooledA and two of pooledB run, one of pooledB waits; org B's runs too.
    await claimExecutions(db(), { workerId: runner, limit: 10 });

    const list = await call(projects.GET, "GET", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(list.status).toBe(200);
    const byId = new Map(list.json.map((p: { id: string }) => [p.id, p]));
    expect(byId.get(pooledA)).toMatchObject({ maxConcurrentJobs: 3, effectiveMaxConcurrentJobs: 3, platformDefaultConcurrentJobs: 7, inFlight: 2, queued: 0, poolId: shared });
    expect(byId.get(pooledB)).toMatchObject({ maxConcurrentJobs: null, effectiveMaxConcurrentJobs: 7, platformDefaultConcurrentJobs: 7, inFlight: 2, queued: 1, poolId: shared });
    expect(byId.get(w.a.projectId)).toMatchObject({ maxConcurrentJobs: null, effectiveMaxConcurrentJobs: 7, inFlight: 1, queued: 0, poolId: null });

    const one = await call(project.GET, "GET", `/api/orgs/${w.a.id}/projects/${pooledB}`, { token: w.tokens.memberA, params: { orgId: w.a.id, projectId: pooledB } });
    expect(one.json).toMatchObject({ id: pooledB, inFlight: 2, queued: 1, effectiveMaxConcurrentJobs: 7 });

    const poolList = await call(pools.GET, "GET", `/api/orgs/${w.a.id}/pools`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(poolList.json).toEqual([expect.objectContaining({ id: shared, limit: 4, inFlight: 4 })]);
    expect(poolList.json[0].projects.map((p: { id: string }) => p.id).sort()).toEqual([pooledA, pooledB].sort());

    // Another org's member learns nothing about it.
    const foreign = await call(projects.GET, "GET", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.memberB, params: { orgId: w.a.id } });
    expect(foreign.status).toBe(404);
  });

  it("clearing an override falls back to the platform default at once", async () => {
    const w = await apiWorld("usage-clear");
    await platform({ defaultProjectConcurrency: 0 });
    const patched = await call(project.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId: w.a.projectId }, body: { maxConcurrentJobs: 2 } });
    expect(patched.status).toBe(200);
    const read = async () => (await call(project.GET, "GET", `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, { token: w.tokens.memberA, params: { orgId: w.a.id, projectId: w.a.projectId } })).json;
    expect(await read()).toMatchObject({ maxConcurrentJobs: 2, effectiveMaxConcurrentJobs: 2, platformDefaultConcurrentJobs: 0 });
    await call(project.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId: w.a.projectId }, body: { maxConcurrentJobs: null } });
    expect(await read()).toMatchObject({ maxConcurrentJobs: null, effectiveMaxConcurrentJobs: 0, platformDefaultConcurrentJobs: 0 });
  });
});
