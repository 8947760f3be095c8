import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../app/api/routes";
import * as executions from "../../app/api/executions/route";
import type { Who } from "../../lib/api/needs";
import { operationsOf, type Operation } from "../../lib/api/openapi";
import { mintToken, revokeToken } from "../../lib/auth/tokens";
import { resetEnvCache } from "../../lib/core/env";
import { prisma } from "../../lib/db/client";
import { claimExecutions } from "../../lib/dispatch/claim";
import { killExecution } from "../../lib/dispatch/kill";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { clearLiveWork, concurrencyPool, db, flow, project, queue, trigger } from "./helpers/fixtures";

// Every operation of the route list (app/api/routes.ts, the same list the server mounts and the
// OpenAPI document describes) × every kind of caller → the outcome its declared need promises.
// Tenants never see or change another org's data (404, so they cannot even tell it exists) and
// never reach admin functions (403); anonymous callers and revoked tokens get 401. An operation
// added without a request below fails the test, so none can be skipped.

type World = Awaited<ReturnType<typeof apiWorld>>;
const CALLERS = ["anonymous", "memberA", "adminA", "memberB", "platformAdmin", "workerA", "workerAll", "revoked"] as const;
type Caller = (typeof CALLERS)[number];
/** "ok": let through (any status but 401, 403, 404); else the status expected. */
type Outcome = "ok" | 401 | 403 | 404;

function expected(who: Who, caller: Caller): Outcome {
  if (who === "anyone") return "ok";
  if (caller === "anonymous" || caller === "revoked" || who === "embedding JWT") return 401;
  const worker = caller === "workerA" || caller === "workerAll";
  switch (who) {
    case "signed in":
      return "ok";
    case "platform admin":
      return caller === "platformAdmin" ? "ok" : 403;
    case "org member":
      return caller === "memberB" || worker ? 404 : "ok";
    case "org admin":
      return caller === "memberA" ? 403 : caller === "memberB" || worker ? 404 : "ok";
    case "org member or worker":
      return caller === "memberB" ? 404 : "ok";
    case "org admin or platform admin":
      return caller === "adminA" || caller === "platformAdmin" ? "ok" : 403;
    case "worker":
      return worker ? "ok" : 403;
  }
}

/** One of everything in org A, made anew for each call (a delete or a kill uses it up). */
async function things(w: World, workers: { a: string; all: string }) {
  const projectId = await project(w.a.id);
  const poolId = await concurrencyPool(w.a.id, 3);
  const queueName = `q-${Math.random().toString(36).slice(2, 10)}`;
  const queueId = await queue(w.a.id, queueName);
  const flowId = await flow(w.a.id, projectId, { limit: 5 });
  const triggerId = await trigger(w.a.id, flowId);
  const running = await submitExecution(db(), { orgId: w.a.id, projectId, queue: queueName });
  const [lease] = (await claimExecutions(db(), { workerId: workers.a, limit: 1, queues: [queueName], orgId: w.a.id })).claimed;
  const queued = await submitExecution(db(), { orgId: w.a.id, projectId });
  const finished = await submitExecution(db(), { orgId: w.a.id, projectId });
  await killExecution(db(), { executionId: finished.id, actor: "test", orgId: w.a.id });
  const rule = await prisma().concurrencyKeyRule.create({ data: { orgId: w.a.id, name: `rule-${Math.random()}`, flowId, source: "submission", limit: 2 }, select: { id: true } });
  await prisma().concurrencyKeyOverride.create({ data: { ruleId: rule.id, keyValue: "big", limit: 5 } });
  const tag = Math.random().toString(36).slice(2, 10);
  const spareOrg = await prisma().organization.create({ data: { name: `spare ${tag}`, slug: `spare-${tag}` }, select: { id: true } });
  const spareUser = await prisma().user.create({ data: { id: `u_spare-${tag}`, name: "spare", email: `spare-${tag}@test.dev`, memberships: { create: { orgId: w.a.id } } }, select: { id: true } });
  const spareToken = await mintToken(prisma(), { kind: "WORKER", name: `spare-${tag}`, orgId: w.a.id });
  return { spareOrgId: spareOrg.id, spareUserId: spareUser.id, spareTokenId: spareToken.id, tag, projectId, poolId, queueId, flowId, triggerId, ruleId: rule.id, running: { id: running.id, leaseToken: lease!.leaseToken }, queued: queued.id, finished: finished.id };
}

type Things = Awaited<ReturnType<typeof things>>;
interface Request {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
}

/** What to send to each operation: valid input, so only who calls decides the outcome. */
const requests: Record<string, (w: World, t: Things, workerId: string) => Request> = {
  "get /api/alerts": () => ({}),
  "get /api/audit": () => ({}),
  "post /api/embed/provision": () => ({}),
  "get /api/events": () => ({}),
  "post /api/executions": (w, t) => ({ body: { orgId: w.a.id, projectId: t.projectId } }),
  "get /api/executions": (w) => ({ query: `orgId=${w.a.id}` }),
  "get /api/executions/{id}": (_w, t) => ({ params: { id: t.queued } }),
  "delete /api/executions/{id}": (_w, t) => ({ params: { id: t.queued } }),
  "post /api/executions/{id}/kill": (_w, t) => ({ params: { id: t.queued } }),
  "post /api/executions/{id}/rerun": (_w, t) => ({ params: { id: t.finished } }),
  "post /api/executions/{id}/force": (_w, t) => ({ params: { id: t.queued }, body: { reason: "authorization matrix" } }),
  "post /api/executions/{id}/resume": (_w, t) => ({ params: { id: t.queued }, body: {} }),
  "get /api/fair-scheduler/orgs": () => ({}),
  "get /api/fair-scheduler/orgs/{orgId}": (w) => ({ params: { orgId: w.a.id } }),
  "put /api/fair-scheduler/orgs/{orgId}": (w) => ({ params: { orgId: w.a.id }, body: { weight: 2 } }),
  "get /api/fair-scheduler/orgs/{orgId}/samples": (w) => ({ params: { orgId: w.a.id } }),
  "get /api/fair-scheduler/samples": () => ({}),
  "get /api/flows/{flowId}/concurrency": (_w, t) => ({ params: { flowId: t.flowId } }),
  "get /api/flows/{flowId}/samples": (_w, t) => ({ params: { flowId: t.flowId } }),
  "get /api/health": () => ({}),
  "get /api/metrics": () => ({}),
  "get /api/openapi.json": () => ({}),
  "get /api/orgs": () => ({}),
  "post /api/orgs": (_w, t) => ({ body: { name: `New ${t.tag}` } }),
  "get /api/orgs/{orgId}": (w) => ({ params: { orgId: w.a.id } }),
  "patch /api/orgs/{orgId}": (_w, t) => ({ params: { orgId: t.spareOrgId }, body: { name: `Renamed ${t.tag}` } }),
  "delete /api/orgs/{orgId}": (_w, t) => ({ params: { orgId: t.spareOrgId } }),
  "get /api/orgs/{orgId}/alerts": (w) => ({ params: { orgId: w.a.id } }),
  "get /api/orgs/{orgId}/members": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/members": (w, t) => ({ params: { orgId: w.a.id }, body: { email: `new-${t.tag}@test.dev`, role: "MEMBER", password: "a-long-password" } }),
  "patch /api/orgs/{orgId}/members/{userId}": (w, t) => ({ params: { orgId: w.a.id, userId: t.spareUserId }, body: { role: "ADMIN" } }),
  "delete /api/orgs/{orgId}/members/{userId}": (w, t) => ({ params: { orgId: w.a.id, userId: t.spareUserId } }),
  "get /api/orgs/{orgId}/tokens": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/tokens": (w) => ({ params: { orgId: w.a.id }, body: { name: "matrix worker" } }),
  "delete /api/orgs/{orgId}/tokens/{tokenId}": (w, t) => ({ params: { orgId: w.a.id, tokenId: t.spareTokenId } }),
  "get /api/orgs/{orgId}/workers": (w) => ({ params: { orgId: w.a.id } }),
  "get /api/platform/tokens": () => ({}),
  "post /api/platform/tokens": () => ({ body: { name: "matrix platform", kind: "worker" } }),
  "delete /api/platform/tokens/{tokenId}": (_w, t) => ({ params: { tokenId: t.spareTokenId } }),
  "get /api/orgs/{orgId}/flows": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/flows": (w, t) => ({ params: { orgId: w.a.id }, body: { name: `f-${Math.random()}`, projectId: t.projectId } }),
  "get /api/orgs/{orgId}/flows/{flowId}": (w, t) => ({ params: { orgId: w.a.id, flowId: t.flowId } }),
  "patch /api/orgs/{orgId}/flows/{flowId}": (w, t) => ({ params: { orgId: w.a.id, flowId: t.flowId }, body: { concurrency: { limit: 3 } } }),
  "delete /api/orgs/{orgId}/flows/{flowId}": (w, t) => ({ params: { orgId: w.a.id, flowId: t.flowId } }),
  "get /api/orgs/{orgId}/pools": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/pools": (w) => ({ params: { orgId: w.a.id }, body: { key: `k-${Math.random()}`, limit: 2 } }),
  "patch /api/orgs/{orgId}/pools/{poolId}": (w, t) => ({ params: { orgId: w.a.id, poolId: t.poolId }, body: { limit: 4 } }),
  "delete /api/orgs/{orgId}/pools/{poolId}": (w, t) => ({ params: { orgId: w.a.id, poolId: t.poolId } }),
  "get /api/orgs/{orgId}/projects": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/projects": (w) => ({ params: { orgId: w.a.id }, body: { name: `p-${Math.random()}` } }),
  "get /api/orgs/{orgId}/projects/{projectId}": (w, t) => ({ params: { orgId: w.a.id, projectId: t.projectId } }),
  "patch /api/orgs/{orgId}/projects/{projectId}": (w, t) => ({ params: { orgId: w.a.id, projectId: t.projectId }, body: { maxConcurrentJobs: 4 } }),
  "delete /api/orgs/{orgId}/projects/{projectId}": (w, t) => ({ params: { orgId: w.a.id, projectId: t.projectId } }),
  "get /api/orgs/{orgId}/key-rules": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/key-rules": (w) => ({ params: { orgId: w.a.id }, body: { name: `r-${Math.random()}`, key: { source: "payload", path: "/customerId" }, limit: 2 } }),
  "get /api/orgs/{orgId}/key-rules/{ruleId}": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId } }),
  "patch /api/orgs/{orgId}/key-rules/{ruleId}": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId }, body: { limit: 3 } }),
  "delete /api/orgs/{orgId}/key-rules/{ruleId}": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId } }),
  "get /api/orgs/{orgId}/key-rules/{ruleId}/keys": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId } }),
  "get /api/orgs/{orgId}/key-rules/{ruleId}/overrides": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId } }),
  "put /api/orgs/{orgId}/key-rules/{ruleId}/overrides": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId }, body: { key: "customer-1", limit: 4 } }),
  "delete /api/orgs/{orgId}/key-rules/{ruleId}/overrides": (w, t) => ({ params: { orgId: w.a.id, ruleId: t.ruleId }, query: "key=big" }),
  "post /api/orgs/{orgId}/executions/kill": (w) => ({ params: { orgId: w.a.id }, body: { dryRun: true } }),
  "post /api/orgs/{orgId}/executions/rerun": (w) => ({ params: { orgId: w.a.id }, body: { dryRun: true } }),
  "get /api/orgs/{orgId}/limits": (w) => ({ params: { orgId: w.a.id } }),
  "patch /api/orgs/{orgId}/limits": (w) => ({ params: { orgId: w.a.id }, body: { rateLimit: { limit: 100, periodMs: 1000 } } }),
  "get /api/orgs/{orgId}/queues": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/queues": (w) => ({ params: { orgId: w.a.id }, body: { name: `q-${Math.random()}` } }),
  "patch /api/orgs/{orgId}/queues/{queueId}": (w, t) => ({ params: { orgId: w.a.id, queueId: t.queueId }, body: { priority: 3 } }),
  "delete /api/orgs/{orgId}/queues/{queueId}": (w, t) => ({ params: { orgId: w.a.id, queueId: t.queueId } }),
  "get /api/orgs/{orgId}/triggers": (w) => ({ params: { orgId: w.a.id } }),
  "post /api/orgs/{orgId}/triggers": (w, t) => ({ params: { orgId: w.a.id }, body: { name: `t-${Math.random()}`, flowId: t.flowId } }),
  "delete /api/orgs/{orgId}/triggers/{triggerId}": (w, t) => ({ params: { orgId: w.a.id, triggerId: t.triggerId } }),
  "get /api/platform/settings": () => ({}),
  "put /api/platform/settings": () => ({ body: { defaultProjectConcurrency: 0 } }),
  "get /api/private/lifecycle_management/parallel_execution_settings": (w) => ({ query: `orgId=${w.a.id}` }),
  "put /api/private/lifecycle_management/parallel_execution_settings": (w) => ({ query: `orgId=${w.a.id}`, body: { jobs: 100 } }),
  "get /api/private/lifecycle_management/parallel_execution_settings:details": (w) => ({ query: `orgId=${w.a.id}` }),
  "post /api/workers/register": () => ({ body: { name: "w", queues: [] } }),
  "post /api/workers/claim": (_w, _t, workerId) => ({ body: { workerId, limit: 0 } }),
  "post /api/workers/heartbeat": (_w, t, workerId) => ({ body: { workerId, leases: [{ executionId: t.running.id, leaseToken: t.running.leaseToken }] } }),
  "post /api/workers/complete": (_w, t, workerId) => ({ body: { workerId, outcomes: [{ executionId: t.running.id, leaseToken: t.running.leaseToken, status: "SUCCESS" }] } }),
  "post /api/workers/release": (_w, t, workerId) => ({ body: { workerId, leases: [{ executionId: t.running.id, leaseToken: t.running.leaseToken }] } }),
  "post /api/workers/pause": (_w, t, workerId) => ({ body: { workerId, executionId: t.running.id, leaseToken: t.running.leaseToken } }),
  "post /api/workers/resume": (_w, t, workerId) => ({ body: { workerId, executionId: t.running.id } }),
};

const operations = operationsOf(API_ROUTES);
const handlerOf = (op: Operation) => API_ROUTES.find((r) => r.path === op.path)!.module[op.method.toUpperCase() as "GET"]!;

/** Calls the route and reads only its status (an event stream never ends). */
async function statusOf(op: Operation, request: Request, token: string | null): Promise<number> {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => request.params![name]!) + (request.query ? `?${request.query}` : "");
  const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers.set("content-type", "application/json");
  }
  const abort = new AbortController();
  const response = await handlerOf(op)(new Request(`http://localhost${path}`, { method: op.method.toUpperCase(), headers, body, signal: abort.signal }), { params: Promise.resolve(request.params ?? {}) });
  abort.abort();
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}

describe("authorization matrix: every operation of the route list × every kind of caller", () => {
  let w: World;
  let tokens: Record<Caller, string | null>;
  let workers: { a: string; all: string };
  beforeAll(async () => {
    process.env.EMBED_JWT_SECRET = "matrix-embedding-key-0123456789-abcdef";
    resetEnvCache();
    w = await apiWorld("matrix");
    const all = (await mintToken(prisma(), { kind: "WORKER", name: "matrix-all" })).token;
    const revoked = await mintToken(prisma(), { kind: "USER", name: "revoked", userId: `u_member-a-matrix@test.dev` });
    await revokeToken(prisma(), revoked.id);
    tokens = { ...w.tokens, workerAll: all, revoked: revoked.token };
    const register = (token: string) => call(API_ROUTES.find((r) => r.path === "/api/workers/register")!.module.POST!, "POST", "/api/workers/register", { token, body: { name: "matrix", queues: [] } });
    workers = { a: (await register(w.tokens.workerA!)).json.workerId, all: (await register(all)).json.workerId };
  });
  afterAll(() => {
    delete process.env.EMBED_JWT_SECRET;
    resetEnvCache();
  });

  it("has a request for every operation, and every operation's need is one the matrix knows", () => {
    expect(operations.length).toBeGreaterThan(45);
    expect(operations.map((o) => `${o.method} ${o.path}`).filter((k) => !requests[k])).toEqual([]);
    for (const op of operations) expect(() => expected(op.need.who, "memberA")).not.toThrow();
  });

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path} (${op.need.who})`, op] as const))("%s", async (_name, op) => {
    await clearLiveWork(); // each call below leaves one running: keep org A under its caps
    const got: Record<string, number | "ok"> = {};
    const want: Record<string, number | "ok"> = {};
    for (const caller of CALLERS) {
      const t = await things(w, workers);
      const status = await statusOf(op, requests[`${op.method} ${op.path}`]!(w, t, caller === "workerAll" ? workers.all : workers.a), tokens[caller]);
      expect(status, `${caller}: a ${status}`).toBeLessThan(500);
      got[caller] = [401, 403, 404].includes(status) ? status : "ok";
      want[caller] = expected(op.need.who, caller);
    }
    expect(got).toEqual(want);
  });

  it("an org list for a tenant never includes another org's executions", async () => {
    await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    const res = await call(executions.GET, "GET", "/api/executions?limit=200", { token: w.tokens.memberA });
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.items.every((e: { orgId: string }) => e.orgId === w.a.id)).toBe(true);
  });
});
