import { beforeAll, describe, expect, it } from "vitest";
import * as fairOrgs from "../../app/api/fair-scheduler/orgs/route";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import * as orgSamples from "../../app/api/fair-scheduler/orgs/[orgId]/samples/route";
import * as platformSamples from "../../app/api/fair-scheduler/samples/route";
import * as parallel from "../../app/api/private/lifecycle_management/parallel_execution_settings/route";
import * as parallelDetails from "../../app/api/private/lifecycle_management/parallel_execution_settings:details/route";
import * as projects from "../../app/api/orgs/[orgId]/projects/route";
import * as project from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as queues from "../../app/api/orgs/[orgId]/queues/route";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import * as flowConcurrency from "../../app/api/flows/[flowId]/concurrency/route";
import * as flowSamples from "../../app/api/flows/[flowId]/samples/route";
import * as executions from "../../app/api/executions/route";
import * as execution from "../../app/api/executions/[id]/route";
import * as kill from "../../app/api/executions/[id]/kill/route";
import * as platformSettings from "../../app/api/platform/settings/route";
import * as audit from "../../app/api/audit/route";
import * as metricsRoute from "../../app/api/metrics/route";
import * as register from "../../app/api/workers/register/route";
import * as release from "../../app/api/workers/release/route";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call, type Role } from "./helpers/api";
import { db, flow } from "./helpers/fixtures";

/**
 * Every endpoint × every kind of caller → the expected status. Tenants never see or change
 * another org's data (404, so they cannot even tell it exists) and never reach admin
 * functions (403); anonymous callers get 401.
 */
type World = Awaited<ReturnType<typeof apiWorld>>;
type Case = {
  name: string;
  expect: Record<Role, number>;
  run: (w: World, token: string | null) => Promise<{ status: number }>;
};

const ROLES: Role[] = ["anonymous", "memberA", "adminA", "memberB", "platformAdmin", "workerA"];
const s = (anonymous: number, memberA: number, adminA: number, memberB: number, platformAdmin: number, workerA: number) => ({ anonymous, memberA, adminA, memberB, platformAdmin, workerA });

async function queuedExecutionOfA(w: World): Promise<string> {
  return (await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId })).id;
}

const cases: Case[] = [
  { name: "GET /api/fair-scheduler/orgs", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(fairOrgs.GET, "GET", "/api/fair-scheduler/orgs", { token: t }) },
  { name: "GET /api/fair-scheduler/orgs/{A}", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(fairOrg.GET, "GET", `/api/fair-scheduler/orgs/${w.a.id}`, { token: t, params: { orgId: w.a.id } }) },
  { name: "PUT /api/fair-scheduler/orgs/{A}", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${w.a.id}`, { token: t, params: { orgId: w.a.id }, body: { weight: 2 } }) },
  { name: "GET /api/fair-scheduler/samples", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(platformSamples.GET, "GET", "/api/fair-scheduler/samples", { token: t }) },
  { name: "GET /api/fair-scheduler/orgs/{A}/samples", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(orgSamples.GET, "GET", `/api/fair-scheduler/orgs/${w.a.id}/samples`, { token: t, params: { orgId: w.a.id } }) },
  { name: "GET parallel_execution_settings", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(parallel.GET, "GET", `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, { token: t }) },
  { name: "PUT parallel_execution_settings", expect: s(401, 403, 200, 404, 200, 404), run: (w, t) => call(parallel.PUT, "PUT", `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, { token: t, body: { jobs: 3 } }) },
  { name: "GET parallel_execution_settings:details", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(parallelDetails.GET, "GET", `/api/private/lifecycle_management/parallel_execution_settings:details?orgId=${w.a.id}`, { token: t }) },
  { name: "GET /api/orgs/{A}/projects", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(projects.GET, "GET", `/api/orgs/${w.a.id}/projects`, { token: t, params: { orgId: w.a.id } }) },
  { name: "POST /api/orgs/{A}/projects", expect: s(401, 403, 201, 404, 201, 404), run: (w, t) => call(projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { token: t, params: { orgId: w.a.id }, body: { name: `p-${Math.random()}` } }) },
  { name: "PATCH /api/orgs/{A}/projects/{p}", expect: s(401, 403, 200, 404, 200, 404), run: (w, t) => call(project.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, { token: t, params: { orgId: w.a.id, projectId: w.a.projectId }, body: { maxConcurrentJobs: 4 } }) },
  { name: "POST /api/orgs/{A}/queues", expect: s(401, 403, 201, 404, 201, 404), run: (w, t) => call(queues.POST, "POST", `/api/orgs/${w.a.id}/queues`, { token: t, params: { orgId: w.a.id }, body: { name: `q-${Math.random()}` } }) },
  { name: "GET /api/orgs/{A}/flows", expect: s(401, 200, 200, 404, 200, 404), run: (w, t) => call(flows.GET, "GET", `/api/orgs/${w.a.id}/flows`, { token: t, params: { orgId: w.a.id } }) },
  {
    name: "GET /api/flows/{flowA}/concurrency", expect: s(401, 200, 200, 404, 200, 200),
    run: async (w, t) => {
      const f = await flow(w.a.id, w.a.projectId, { limit: 2 });
      return call(flowConcurrency.GET, "GET", `/api/flows/${f}/concurrency`, { token: t, params: { flowId: f } });
    },
  },
  {
    name: "GET /api/flows/{flowA}/samples", expect: s(401, 200, 200, 404, 200, 200),
    run: async (w, t) => {
      const f = await flow(w.a.id, w.a.projectId, { limit: 2 });
      return call(flowSamples.GET, "GET", `/api/flows/${f}/samples`, { token: t, params: { flowId: f } });
    },
  },
  { name: "POST /api/executions (org A)", expect: s(401, 201, 201, 404, 201, 201), run: (w, t) => call(executions.POST, "POST", "/api/executions", { token: t, body: { orgId: w.a.id, projectId: w.a.projectId } }) },
  { name: "GET /api/executions?orgId=A", expect: s(401, 200, 200, 404, 200, 200), run: (w, t) => call(executions.GET, "GET", `/api/executions?orgId=${w.a.id}`, { token: t }) },
  {
    name: "GET /api/executions/{eA}", expect: s(401, 200, 200, 404, 200, 200),
    run: async (w, t) => {
      const id = await queuedExecutionOfA(w);
      return call(execution.GET, "GET", `/api/executions/${id}`, { token: t, params: { id } });
    },
  },
  {
    name: "POST /api/executions/{eA}/kill", expect: s(401, 403, 200, 404, 200, 404),
    run: async (w, t) => {
      const id = await queuedExecutionOfA(w);
      return call(kill.POST, "POST", `/api/executions/${id}/kill`, { token: t, params: { id } });
    },
  },
  {
    name: "DELETE /api/executions/{eA}", expect: s(401, 403, 200, 404, 200, 404),
    run: async (w, t) => {
      const id = await queuedExecutionOfA(w);
      return call(execution.DELETE, "DELETE", `/api/executions/${id}`, { token: t, params: { id } });
    },
  },
  { name: "GET /api/platform/settings", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(platformSettings.GET, "GET", "/api/platform/settings", { token: t }) },
  { name: "PUT /api/platform/settings", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(platformSettings.PUT, "PUT", "/api/platform/settings", { token: t, body: { defaultProjectConcurrency: 0 } }) },
  { name: "GET /api/audit", expect: s(401, 403, 200, 403, 200, 403), run: (w, t) => call(audit.GET, "GET", "/api/audit", { token: t }) },
  { name: "GET /api/audit?orgId=A", expect: s(401, 403, 200, 404, 200, 404), run: (w, t) => call(audit.GET, "GET", `/api/audit?orgId=${w.a.id}`, { token: t }) },
  { name: "GET /api/metrics", expect: s(401, 403, 403, 403, 200, 403), run: (w, t) => call(metricsRoute.GET, "GET", "/api/metrics", { token: t }) },
  { name: "POST /api/workers/register", expect: s(401, 403, 403, 403, 403, 201), run: (w, t) => call(register.POST, "POST", "/api/workers/register", { token: t, body: { name: "w", queues: ["default"] } }) },
  {
    name: "POST /api/workers/release", expect: s(401, 403, 403, 403, 403, 409), // the worker gets through; it holds no lease on a queued execution
    run: async (w, t) => {
      const reg = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "w", queues: [] } });
      const id = await queuedExecutionOfA(w);
      return call(release.POST, "POST", "/api/workers/release", { token: t, body: { workerId: reg.json.workerId, leases: [{ executionId: id, leaseToken: 0 }] } });
    },
  },
];

describe("authorization matrix", () => {
  let world: World;
  beforeAll(async () => {
    world = await apiWorld("authz");
  });

  for (const c of cases) {
    it(c.name, async () => {
      const got: Record<string, number> = {};
      for (const role of ROLES) got[role] = (await c.run(world, world.tokens[role])).status;
      expect(got).toEqual(c.expect);
    });
  }

  it("a revoked or unknown token is anonymous", async () => {
    expect((await call(fairOrgs.GET, "GET", "/api/fair-scheduler/orgs", { token: "sw_not-a-real-token" })).status).toBe(401);
  });

  it("an org list for a tenant never includes another org's executions", async () => {
    await submitExecution(db(), { orgId: world.b.id, projectId: world.b.projectId });
    const res = await call(executions.GET, "GET", "/api/executions?limit=200", { token: world.tokens.memberA });
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.items.every((e: { orgId: string }) => e.orgId === world.a.id)).toBe(true);
  });
});
