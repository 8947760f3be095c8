import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fairOrgs from "../../app/api/fair-scheduler/orgs/route";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import * as details from "../../app/api/private/lifecycle_management/parallel_execution_settings:details/route";
import * as parallel from "../../app/api/private/lifecycle_management/parallel_execution_settings/route";
import * as projects from "../../app/api/orgs/[orgId]/projects/route";
import * as pools from "../../app/api/orgs/[orgId]/pools/route";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import * as triggers from "../../app/api/orgs/[orgId]/triggers/route";
import * as executions from "../../app/api/executions/route";
import * as execution from "../../app/api/executions/[id]/route";
import * as platform from "../../app/api/platform/settings/route";
import * as register from "../../app/api/workers/register/route";
import * as claim from "../../app/api/workers/claim/route";
import * as pause from "../../app/api/workers/pause/route";
import * as resume from "../../app/api/workers/resume/route";
import { resetEnvCache } from "../../lib/core/env";
import { prisma } from "../../lib/db/client";
import { mintToken } from "../../lib/auth/tokens";
import { apiWorld, call } from "./helpers/api";
import { clearLiveWork, org } from "./helpers/fixtures";

/** The seed documents' own examples, end to end through the HTTP handlers. */
type World = Awaited<ReturnType<typeof apiWorld>>;

async function workerFor(orgId: string, queues: string[] = []) {
  const token = (await mintToken(prisma(), { kind: "WORKER", name: `w-${Math.random()}`, orgId })).token;
  const reg = await call(register.POST, "POST", "/api/workers/register", { token, body: { name: "worker", queues } });
  return { token, workerId: reg.json.workerId as string };
}

async function claimFor(w: { token: string; workerId: string }, limit: number) {
  const res = await call(claim.POST, "POST", "/api/workers/claim", { token: w.token, body: { workerId: w.workerId, limit } });
  expect(res.status).toBe(200);
  return res.json.claimed as { id: string; leaseToken: number; projectId: string; parentId: string | null }[];
}

async function submit(token: string | null, body: Record<string, unknown>) {
  return call(executions.POST, "POST", "/api/executions", { token, body });
}

describe("the seeds' examples through the API", () => {
  let w: World;
  beforeAll(async () => {
    w = await apiWorld("seeds");
  });

  it("fair scheduler: the worked example, the response shape, and who gets the next slot", async () => {
    await clearLiveWork();
    const admin = w.tokens.platformAdmin;
    const acme = await org({ name: "Acme Corp", weight: 1 });
    const beta = await org({ name: "Beta Inc", weight: 1 });
    const gamma = await org({ name: "Gamma LLC", weight: 5 });
    for (const [o, n] of [[acme, 2], [gamma, 5]] as const) {
      for (let i = 0; i < n; i++) await submit(admin, { orgId: o.id, projectId: o.projectId });
      await claimFor(await workerFor(o.id), n);
      await submit(admin, { orgId: o.id, projectId: o.projectId });
    }
    await submit(admin, { orgId: beta.id, projectId: beta.projectId });

    const one = await call(fairOrg.GET, "GET", `/api/fair-scheduler/orgs/${acme.id}`, { token: admin, params: { orgId: acme.id } });
    expect(one.json).toMatchObject({ organizationId: acme.id, currentInFlight: 2, maxConcurrency: 0, weight: 1, ratio: 2 });
    const list = await call(fairOrgs.GET, "GET", "/api/fair-scheduler/orgs", { token: admin });
    const byName = new Map(list.json.map((o: { name: string }) => [o.name, o]));
    expect(byName.get("Beta Inc")).toMatchObject({ currentInFlight: 0, ratio: 0, rank: 1 });
    expect(byName.get("Gamma LLC")).toMatchObject({ currentInFlight: 5, weight: 5, ratio: 1, rank: 2 });
    expect(byName.get("Acme Corp")).toMatchObject({ currentInFlight: 2, ratio: 2, rank: 3 });

    const update = await call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${acme.id}`, { token: admin, params: { orgId: acme.id }, body: { weight: 2, maxConcurrency: 50 } });
    expect(update.json).toMatchObject({ weight: 2, maxConcurrency: 50, ratio: 1 });
  });

  it(":details returns current_value = min(env_value, settings_value)", async () => {
    process.env.SLOTWISE_ENV_MAX_JOBS = "3";
    resetEnvCache();
    try {
      const put = await call(parallel.PUT, "PUT", `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, { token: w.tokens.adminA, body: { jobs: 10, workflows: 4, access_requests: 2, max_paused_slots: 5 } });
      expect(put.json).toEqual({ jobs: 10, workflows: 4, access_requests: 2, max_paused_slots: 5 });
      const res = await call(details.GET, "GET", `/api/private/lifecycle_management/parallel_execution_settings:details?orgId=${w.a.id}`, { token: w.tokens.memberA });
      expect(res.json.jobs).toEqual({ current_value: 3, env_value: 3, settings_value: 10 });
      expect(res.json.workflows).toEqual({ current_value: 4, env_value: 100, settings_value: 4 });
    } finally {
      delete process.env.SLOTWISE_ENV_MAX_JOBS;
      resetEnvCache();
    }
  });

  it.each([["CANCEL", "CANCELLED"], ["FAIL", "FAILED"]])("flow limit 2, behavior %s: the third is %s at once", async (behavior, state) => {
    const f = await call(flows.POST, "POST", `/api/orgs/${w.a.id}/flows`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: `f-${behavior}`, projectId: w.a.projectId, concurrency: { limit: 2, behavior } } });
    expect(f.status).toBe(201);
    expect(f.json.concurrency).toEqual({ limit: 2, behavior });
    for (let i = 0; i < 2; i++) expect((await submit(w.tokens.memberA, { orgId: w.a.id, projectId: w.a.projectId, flowId: f.json.id })).json.state).toBe("QUEUED");
    const third = await submit(w.tokens.memberA, { orgId: w.a.id, projectId: w.a.projectId, flowId: f.json.id });
    expect(third.status).toBe(201);
    expect(third.json).toMatchObject({ state, reason: "flow concurrency limit reached (limit 2)" });
  });

  it("trigger lock: 409 and nothing created while the trigger's execution is live", async () => {
    const f = await call(flows.POST, "POST", `/api/orgs/${w.a.id}/flows`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "scheduled", projectId: w.a.projectId } });
    const t = await call(triggers.POST, "POST", `/api/orgs/${w.a.id}/triggers`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "every-minute", flowId: f.json.id } });
    expect((await submit(w.tokens.memberA, { orgId: w.a.id, projectId: w.a.projectId, triggerId: t.json.id })).status).toBe(201);
    const count = async () => (await call(executions.GET, "GET", `/api/executions?orgId=${w.a.id}&flowId=${f.json.id}`, { token: w.tokens.memberA })).json.items.length;
    const before = await count();
    const locked = await submit(w.tokens.memberA, { orgId: w.a.id, projectId: w.a.projectId, triggerId: t.json.id });
    expect([locked.status, locked.json.code]).toEqual([409, "trigger_locked"]);
    expect(await count()).toBe(before);
  });

  it.each([[0, 0], [1, 1]])("max_paused_slots = %i: pausing frees %i slot(s)", async (maxPaused, freed) => {
    const o = await org({ maxConcurrency: 2, maxPausedSlots: maxPaused });
    const worker = await workerFor(o.id);
    for (let i = 0; i < 4; i++) await submit(w.tokens.platformAdmin, { orgId: o.id, projectId: o.projectId });
    const [first] = await claimFor(worker, 2);
    const paused = await call(pause.POST, "POST", "/api/workers/pause", { token: worker.token, body: { workerId: worker.workerId, executionId: first!.id, leaseToken: first!.leaseToken } });
    expect(paused.json).toEqual({ state: "PAUSED", holdsSlot: freed === 0, waitingFor: "approval", until: null });
    expect(await claimFor(worker, 5)).toHaveLength(freed);
    const resumed = await call(resume.POST, "POST", "/api/workers/resume", { token: worker.token, body: { workerId: worker.workerId, executionId: first!.id } });
    // Back to the queue ahead of new work: holding the slot it kept, or waiting for one.
    expect(resumed.json).toEqual({ state: "QUEUED", holdsSlot: freed === 0 });
  });

  it("a project with an empty override uses the platform default; two projects share a pool", async () => {
    const before = (await call(platform.GET, "GET", "/api/platform/settings", { token: w.tokens.platformAdmin })).json;
    await call(platform.PUT, "PUT", "/api/platform/settings", { token: w.tokens.platformAdmin, body: { defaultProjectConcurrency: 1 } });
    try {
      const o = await org();
      const admin = w.tokens.platformAdmin;
      const empty = await call(projects.POST, "POST", `/api/orgs/${o.id}/projects`, { token: admin, params: { orgId: o.id }, body: { name: "uses-default", maxConcurrentJobs: null } });
      const pool = await call(pools.POST, "POST", `/api/orgs/${o.id}/pools`, { token: admin, params: { orgId: o.id }, body: { key: "shared", limit: 3 } });
      const p1 = await call(projects.POST, "POST", `/api/orgs/${o.id}/projects`, { token: admin, params: { orgId: o.id }, body: { name: "pooled-1", poolId: pool.json.id, maxConcurrentJobs: 10 } });
      const p2 = await call(projects.POST, "POST", `/api/orgs/${o.id}/projects`, { token: admin, params: { orgId: o.id }, body: { name: "pooled-2", poolId: pool.json.id, maxConcurrentJobs: 10 } });
      for (const p of [empty, p1, p2]) for (let i = 0; i < 3; i++) await submit(admin, { orgId: o.id, projectId: p.json.id });
      const claimed = await claimFor(await workerFor(o.id), 20);
      expect(claimed.filter((c) => c.projectId === empty.json.id)).toHaveLength(1);
      expect(claimed.filter((c) => c.projectId === p1.json.id || c.projectId === p2.json.id)).toHaveLength(3);
    } finally {
      await call(platform.PUT, "PUT", "/api/platform/settings", { token: w.tokens.platformAdmin, body: { defaultProjectConcurrency: before.defaultProjectConcurrency } });
    }
  });

  it("a nested pipeline is blocked by its controller, and explain says so", async () => {
    const o = await org();
    const admin = w.tokens.platformAdmin;
    const worker = await workerFor(o.id);
    const controller = await submit(admin, { orgId: o.id, projectId: o.projectId, concurrency: 1 });
    await claimFor(worker, 1);
    const pipeline = await submit(admin, { orgId: o.id, projectId: o.projectId, parentId: controller.json.id, concurrency: 5 });
    await claimFor(worker, 1);
    const op = await submit(admin, { orgId: o.id, projectId: o.projectId, parentId: pipeline.json.id });
    expect(await claimFor(worker, 5)).toEqual([]);
    const detail = await call(execution.GET, "GET", `/api/executions/${op.json.id}`, { token: admin, params: { id: op.json.id } });
    expect(detail.json.explain).toEqual([expect.objectContaining({ code: "cap_full", cap: "controller", limit: 1, inFlight: 1 })]);
    expect(detail.json.transitions).toEqual([expect.objectContaining({ from: null, to: "QUEUED" })]);
  });

  afterAll(async () => {
    await clearLiveWork();
  });
});
