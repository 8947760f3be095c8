import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import * as parallel from "../../app/api/private/lifecycle_management/parallel_execution_settings/route";
import * as projects from "../../app/api/orgs/[orgId]/projects/route";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import * as queues from "../../app/api/orgs/[orgId]/queues/route";
import * as pools from "../../app/api/orgs/[orgId]/pools/route";
import * as executions from "../../app/api/executions/route";
import * as platformSettings from "../../app/api/platform/settings/route";
import * as claim from "../../app/api/workers/claim/route";
import * as project from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as pool from "../../app/api/orgs/[orgId]/pools/[poolId]/route";
import * as queue from "../../app/api/orgs/[orgId]/queues/[queueId]/route";
import * as flow from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import * as triggers from "../../app/api/orgs/[orgId]/triggers/route";
import * as register from "../../app/api/workers/register/route";
import * as heartbeat from "../../app/api/workers/heartbeat/route";
import * as complete from "../../app/api/workers/complete/route";
import * as pause from "../../app/api/workers/pause/route";
import * as resume from "../../app/api/workers/resume/route";
import * as release from "../../app/api/workers/release/route";
import { apiWorld, call } from "./helpers/api";
import { db } from "./helpers/fixtures";

/** Bad input gets a 4xx naming the field and the rule, and changes nothing. */
type World = Awaited<ReturnType<typeof apiWorld>>;

async function snapshot(): Promise<string> {
  const tables = ["organization", "project", "queue", "flow", "concurrency_pool", "execution", "platform_settings", "audit_event"];
  const parts = [];
  for (const t of tables) parts.push(JSON.stringify((await db().query(`SELECT * FROM ${t} ORDER BY 1`)).rows));
  return parts.join("\n");
}

describe("bad input", () => {
  let w: World;
  beforeAll(async () => {
    w = await apiWorld("validation");
  });

  const mutations = (w: World): { name: string; handler: typeof projects.POST; method: string; path: string; params: Record<string, string>; token: string | null }[] => [
    { name: "PUT fair-scheduler org", handler: fairOrg.PUT, method: "PUT", path: `/api/fair-scheduler/orgs/${w.a.id}`, params: { orgId: w.a.id }, token: w.tokens.platformAdmin },
    { name: "PUT parallel settings", handler: parallel.PUT, method: "PUT", path: `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, params: {}, token: w.tokens.adminA },
    { name: "POST project", handler: projects.POST, method: "POST", path: `/api/orgs/${w.a.id}/projects`, params: { orgId: w.a.id }, token: w.tokens.adminA },
    { name: "POST flow", handler: flows.POST, method: "POST", path: `/api/orgs/${w.a.id}/flows`, params: { orgId: w.a.id }, token: w.tokens.adminA },
    { name: "POST queue", handler: queues.POST, method: "POST", path: `/api/orgs/${w.a.id}/queues`, params: { orgId: w.a.id }, token: w.tokens.adminA },
    { name: "POST pool", handler: pools.POST, method: "POST", path: `/api/orgs/${w.a.id}/pools`, params: { orgId: w.a.id }, token: w.tokens.adminA },
    { name: "POST execution", handler: executions.POST, method: "POST", path: "/api/executions", params: {}, token: w.tokens.adminA },
    { name: "PUT platform settings", handler: platformSettings.PUT, method: "PUT", path: "/api/platform/settings", params: {}, token: w.tokens.platformAdmin },
    { name: "PATCH project", handler: project.PATCH, method: "PATCH", path: `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, params: { orgId: w.a.id, projectId: w.a.projectId }, token: w.tokens.adminA },
    { name: "PATCH pool", handler: pool.PATCH, method: "PATCH", path: `/api/orgs/${w.a.id}/pools/${w.a.id}`, params: { orgId: w.a.id, poolId: w.a.id }, token: w.tokens.adminA },
    { name: "PATCH queue", handler: queue.PATCH, method: "PATCH", path: `/api/orgs/${w.a.id}/queues/${w.a.id}`, params: { orgId: w.a.id, queueId: w.a.id }, token: w.tokens.adminA },
    { name: "PATCH flow", handler: flow.PATCH, method: "PATCH", path: `/api/orgs/${w.a.id}/flows/${w.a.id}`, params: { orgId: w.a.id, flowId: w.a.id }, token: w.tokens.adminA },
    { name: "POST trigger", handler: triggers.POST, method: "POST", path: `/api/orgs/${w.a.id}/triggers`, params: { orgId: w.a.id }, token: w.tokens.adminA },
    { name: "POST worker register", handler: register.POST, method: "POST", path: "/api/workers/register", params: {}, token: w.tokens.workerA },
    { name: "POST worker heartbeat", handler: heartbeat.POST, method: "POST", path: "/api/workers/heartbeat", params: {}, token: w.tokens.workerA },
    { name: "POST worker complete", handler: complete.POST, method: "POST", path: "/api/workers/complete", params: {}, token: w.tokens.workerA },
    { name: "POST worker pause", handler: pause.POST, method: "POST", path: "/api/workers/pause", params: {}, token: w.tokens.workerA },
    { name: "POST worker resume", handler: resume.POST, method: "POST", path: "/api/workers/resume", params: {}, token: w.tokens.workerA },
    { name: "POST worker release", handler: release.POST, method: "POST", path: "/api/workers/release", params: {}, token: w.tokens.workerA },
  ];

  const badBodies: [string, unknown, number][] = [
    ["wrong types", { weight: "2", maxConcurrency: "x", jobs: "1", name: 3, limit: "2", projectId: 5, globalCapacity: "big" }, 422],
    ["negatives", { weight: -1, maxConcurrency: -1, jobs: -1, max_paused_slots: -1, name: "n", limit: -1, concurrency: -1, globalCapacity: -1 }, 422],
    ["zero where ≥ 1 is required", { weight: 0, jobs: 0, workflows: 0, access_requests: 0, key: "k", limit: 0, name: "n", projectId: "00000000-0000-0000-0000-000000000000", concurrency: { limit: 0 } }, 422],
    ["huge numbers", { weight: 1e12, maxConcurrency: 2 ** 40, jobs: 1e15, name: "n", concurrency: 1e12, globalCapacity: 1e13 }, 422],
    ["unknown fields", { weight: 1, jobs: 1, name: "n", globalCapacity: 1, isPlatformAdmin: true, orgIdOverride: "x", projectId: "00000000-0000-0000-0000-000000000000", extra: 1 }, 422],
  ];

  it.each(badBodies)("%s → 4xx with field paths, nothing changed", async (_label, body, status) => {
    for (const m of mutations(w)) {
      const before = await snapshot();
      const res = await call(m.handler, m.method, m.path, { token: m.token, params: m.params, body });
      expect(res.status, m.name).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.errors.length, m.name).toBeGreaterThan(0);
      for (const e of res.json.errors) expect(typeof e.field === "string" && typeof e.message === "string").toBe(true);
      expect(await snapshot(), m.name).toBe(before);
    }
  });

  it("names the field and the rule", async () => {
    const res = await call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${w.a.id}`, { token: w.tokens.platformAdmin, params: { orgId: w.a.id }, body: { weight: 0, plan: "gold" } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual(
      expect.arrayContaining([
        { field: "weight", message: expect.stringMatching(/>=\s*1/) },
        { field: "plan", message: "unknown field" },
      ]),
    );
  });

  it("a tenant cannot set its own weight through any endpoint (no mass assignment)", async () => {
    const before = await snapshot();
    const viaSettings = await call(parallel.PUT, "PUT", `/api/private/lifecycle_management/parallel_execution_settings?orgId=${w.a.id}`, { token: w.tokens.adminA, body: { jobs: 2, weight: 50 } });
    expect(viaSettings.status).toBe(422);
    const viaProject = await call(projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "x", weight: 50 } });
    expect(viaProject.status).toBe(422);
    const direct = await call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${w.a.id}`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { weight: 50 } });
    expect(direct.status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it("malformed JSON → 400, oversized body → 413, wrong content type → 415", async () => {
    const before = await snapshot();
    const malformed = await call(projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.adminA, params: { orgId: w.a.id }, rawBody: '{"name": ' });
    expect([malformed.status, malformed.json.code]).toEqual([400, "bad_request"]);
    const huge = await call(projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "x".repeat(100_000) } });
    expect(huge.status).toBe(413);
    const text = await call(projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { token: w.tokens.adminA, params: { orgId: w.a.id }, rawBody: "name=x", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    expect(await snapshot()).toBe(before);
  });

  // The documented example id answered 422; an id that names nothing is 404 whatever its shape.
  it("an id in the path that is not a UUID names nothing: 404, as for one that does not exist", async () => {
    for (const id of ["abc-123-def-456", "not-a-uuid", "1", "a\u0000b"]) {
      const reply = await call(fairOrg.GET, "GET", `/api/fair-scheduler/orgs/${encodeURIComponent(id)}`, { token: w.tokens.platformAdmin, params: { orgId: id } });
      expect([reply.status, reply.json.code], id).toEqual([404, "not_found"]);
      expect(reply.json.detail).toBe("Organization not found.");
    }
    const project404 = await call(project.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/xyz`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId: "xyz" }, body: { maxConcurrentJobs: 1 } });
    expect([project404.status, project404.json.detail]).toEqual([404, "Project not found."]);
    const settings404 = await call(parallel.PUT, "PUT", "/api/private/lifecycle_management/parallel_execution_settings?orgId=acme", { token: w.tokens.adminA, body: { jobs: 2 } });
    expect([settings404.status, settings404.json.detail]).toEqual([404, "Organization not found."]);
  });

  it("a string PostgreSQL cannot store (a NUL, an unpaired surrogate) is a 422 naming the field, in a key or a value, at any depth", async () => {
    const before = await snapshot();
    const cases: [typeof projects.POST, string, string, Record<string, string>, unknown, string][] = [
      [projects.POST, "POST", `/api/orgs/${w.a.id}/projects`, { orgId: w.a.id }, { name: "a\u0000b" }, "name"],
      [queues.POST, "POST", `/api/orgs/${w.a.id}/queues`, { orgId: w.a.id }, { name: "q\u0000" }, "name"],
      [pools.POST, "POST", `/api/orgs/${w.a.id}/pools`, { orgId: w.a.id }, { key: "\ud800", limit: 2 }, "key"],
      [project.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${w.a.projectId}`, { orgId: w.a.id, projectId: w.a.projectId }, { name: "x\u0000" }, "name"],
      [executions.POST, "POST", "/api/executions", {}, { orgId: w.a.id, projectId: w.a.projectId, payload: { note: "a\u0000b" } }, "payload.note"],
      [executions.POST, "POST", "/api/executions", {}, { orgId: w.a.id, projectId: w.a.projectId, payload: { deep: [{ "k\u0000": 1 }] } }, "payload.deep.0.k\\u0000"],
      [executions.POST, "POST", "/api/executions", {}, { orgId: w.a.id, projectId: w.a.projectId, queue: "de\u0000fault" }, "queue"],
      [register.POST, "POST", "/api/workers/register", {}, { name: "w\u0000", queues: [] }, "name"],
    ];
    for (const [handler, method, path, params, json, field] of cases) {
      // JSON.stringify writes a NUL and an unpaired surrogate as \u escapes, as clients send them.
      const rawBody = JSON.stringify(json);
      const token = handler === register.POST ? w.tokens.workerA : w.tokens.adminA;
      const reply = await call(handler, method, path, { token, params, rawBody });
      expect([reply.status, reply.json.errors?.[0]?.field], `${method} ${path} ${rawBody}`).toEqual([422, field]);
    }
    expect(await snapshot()).toBe(before);
  });

  it("a body that is not UTF-8 is a 400; a byte-order mark before the JSON and an empty body (taken as {}) are accepted", async () => {
    const path = `/api/orgs/${w.a.id}/projects/${w.a.projectId}`;
    const params = { orgId: w.a.id, projectId: w.a.projectId };
    const headers = { authorization: `Bearer ${w.tokens.adminA}`, "content-type": "application/json" };
    const invalid = await project.PATCH(new Request(`http://localhost${path}`, { method: "PATCH", headers, body: new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), { params: Promise.resolve(params) });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: "bad_request", detail: "The body is not valid UTF-8." });
    const bom = await call(project.PATCH, "PATCH", path, { token: w.tokens.adminA, params, rawBody: "\ufeff{\"maxConcurrentJobs\":7}" });
    expect([bom.status, bom.json.maxConcurrentJobs]).toEqual([200, 7]);
    const empty = await call(project.PATCH, "PATCH", path, { token: w.tokens.adminA, params, rawBody: "" });
    expect([empty.status, empty.json.maxConcurrentJobs]).toEqual([200, 7]);
    const emptyPut = await call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${w.a.id}`, { token: w.tokens.platformAdmin, params: { orgId: w.a.id }, rawBody: "" });
    expect(emptyPut.status).toBe(422);
  });

  it("worker release: an empty list, a bad lease or an overlong reason names the field and releases nothing", async () => {
    const reg = await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name: "v", queues: [] } });
    const workerId = reg.json.workerId;
    const before = await snapshot();
    const cases: [unknown, string][] = [
      [{ workerId, leases: [] }, "leases"],
      [{ workerId, leases: [{ executionId: "nope", leaseToken: 1 }] }, "leases.0.executionId"],
      [{ workerId, leases: [{ executionId: w.a.id, leaseToken: -1 }] }, "leases.0.leaseToken"],
      [{ workerId, leases: [{ executionId: w.a.id, leaseToken: 1, attempt: 2 }] }, "leases.0.attempt"],
      [{ workerId, leases: [{ executionId: w.a.id, leaseToken: 1 }], reason: "x".repeat(501) }, "reason"],
    ];
    for (const [body, field] of cases) {
      const res = await call(release.POST, "POST", "/api/workers/release", { token: w.tokens.workerA, body });
      expect(res.status, field).toBe(422);
      expect(res.json.errors.map((e: { field: string }) => e.field), field).toContain(field);
    }
    expect(await snapshot()).toBe(before);
  });

  it("errors leak no stack traces or SQL; a reference in the body to nothing in the org is a 422 naming the field", async () => {
    const nowhere = "00000000-0000-0000-0000-000000000000";
    const res = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.adminA, body: { orgId: w.a.id, projectId: nowhere } });
    expect(res.status).toBe(422);
    expect(res.text).not.toMatch(/SELECT|at \w+ \(|node_modules/);
    expect(res.json).toMatchObject({ status: 422, code: "validation_failed", errors: [{ field: "projectId" }], requestId: expect.any(String) });
    // Another org's project is as unknown here as one that does not exist.
    const foreign = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.adminA, body: { orgId: w.a.id, projectId: w.b.projectId } });
    expect([foreign.status, foreign.json.errors]).toEqual([422, [{ field: "projectId", message: "no such project in this organization" }]]);
    for (const field of ["flowId", "parentId", "triggerId"]) {
      const ref = await call(executions.POST, "POST", "/api/executions", { token: w.tokens.adminA, body: { orgId: w.a.id, projectId: w.a.projectId, [field]: nowhere } });
      expect([ref.status, ref.json.errors?.[0]?.field], field).toEqual([422, field]);
    }
  });

  it("fuzz: arbitrary JSON bodies never produce a 5xx", async () => {
    // Bodies made of the real field names with values of every kind: they get past the
    // shape checks far more often than random JSON does.
    const nearlyValid = fc.dictionary(
      fc.constantFrom("weight", "maxConcurrency", "jobs", "workflows", "access_requests", "max_paused_slots", "name", "key", "limit", "priority", "concurrency", "projectId", "flowId", "queue", "globalCapacity", "defaultProjectConcurrency", "workerId", "maxConcurrentJobs", "poolId"),
      fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.nat(10), fc.double(), fc.string({ maxLength: 20 }), fc.constant(null), fc.uuid(), fc.constant(w.a.id), fc.constant(w.a.projectId)),
    );
    const targets = [
      ...mutations(w),
      { name: "claim", handler: claim.POST, method: "POST", path: "/api/workers/claim", params: {}, token: w.tokens.workerA },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.oneof(fc.jsonValue({ maxDepth: 3 }), nearlyValid), async (target, body) => {
        const res = await call(target.handler, target.method, target.path, { token: target.token, params: target.params, body });
        expect(res.status, `${target.name} ${JSON.stringify(body)}`).toBeLessThan(500);
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });
});
