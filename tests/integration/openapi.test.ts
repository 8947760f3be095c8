import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import * as alertsRoute from "../../app/api/alerts/route";
import * as audit from "../../app/api/audit/route";
import * as provision from "../../app/api/embed/provision/route";
import * as kill from "../../app/api/executions/[id]/kill/route";
import * as rerun from "../../app/api/executions/[id]/rerun/route";
import * as bulkKill from "../../app/api/orgs/[orgId]/executions/kill/route";
import * as bulkRerun from "../../app/api/orgs/[orgId]/executions/rerun/route";
import * as force from "../../app/api/executions/[id]/force/route";
import * as approve from "../../app/api/executions/[id]/resume/route";
import * as execution from "../../app/api/executions/[id]/route";
import * as executions from "../../app/api/executions/route";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import * as orgSamples from "../../app/api/fair-scheduler/orgs/[orgId]/samples/route";
import * as fairOrgs from "../../app/api/fair-scheduler/orgs/route";
import * as platformSamples from "../../app/api/fair-scheduler/samples/route";
import * as flowConcurrency from "../../app/api/flows/[flowId]/concurrency/route";
import * as flowSamples from "../../app/api/flows/[flowId]/samples/route";
import * as health from "../../app/api/health/route";
import * as metrics from "../../app/api/metrics/route";
import * as orgAlertsRoute from "../../app/api/orgs/[orgId]/alerts/route";
import * as openapi from "../../app/api/openapi.json/route";
import * as orgsRoute from "../../app/api/orgs/route";
import * as orgRoute from "../../app/api/orgs/[orgId]/route";
import * as membersRoute from "../../app/api/orgs/[orgId]/members/route";
import * as memberRoute from "../../app/api/orgs/[orgId]/members/[userId]/route";
import * as orgTokensRoute from "../../app/api/orgs/[orgId]/tokens/route";
import * as orgTokenRoute from "../../app/api/orgs/[orgId]/tokens/[tokenId]/route";
import * as platformTokensRoute from "../../app/api/platform/tokens/route";
import * as platformTokenRoute from "../../app/api/platform/tokens/[tokenId]/route";
import * as workersRoute from "../../app/api/orgs/[orgId]/workers/route";
import * as flowRoute from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import * as keyRules from "../../app/api/orgs/[orgId]/key-rules/route";
import * as keyRule from "../../app/api/orgs/[orgId]/key-rules/[ruleId]/route";
import * as ruleKeys from "../../app/api/orgs/[orgId]/key-rules/[ruleId]/keys/route";
import * as ruleOverrides from "../../app/api/orgs/[orgId]/key-rules/[ruleId]/overrides/route";
import * as orgLimits from "../../app/api/orgs/[orgId]/limits/route";
import * as poolRoute from "../../app/api/orgs/[orgId]/pools/[poolId]/route";
import * as pools from "../../app/api/orgs/[orgId]/pools/route";
import * as projectRoute from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as projects from "../../app/api/orgs/[orgId]/projects/route";
import * as queueRoute from "../../app/api/orgs/[orgId]/queues/[queueId]/route";
import * as queues from "../../app/api/orgs/[orgId]/queues/route";
import * as triggerRoute from "../../app/api/orgs/[orgId]/triggers/[triggerId]/route";
import * as triggers from "../../app/api/orgs/[orgId]/triggers/route";
import * as platformSettings from "../../app/api/platform/settings/route";
import * as parallel from "../../app/api/private/lifecycle_management/parallel_execution_settings/route";
import * as parallelDetails from "../../app/api/private/lifecycle_management/parallel_execution_settings:details/route";
import * as claim from "../../app/api/workers/claim/route";
import * as complete from "../../app/api/workers/complete/route";
import * as heartbeat from "../../app/api/workers/heartbeat/route";
import * as pause from "../../app/api/workers/pause/route";
import * as register from "../../app/api/workers/register/route";
import * as release from "../../app/api/workers/release/route";
import * as resume from "../../app/api/workers/resume/route";
import { successStatus } from "../../lib/api/openapi";
import { API_ROUTES } from "../../app/api/routes";
import { resetEnvCache } from "../../lib/core/env";
import { recordSamples } from "../../lib/samples/record-samples";
import { apiWorld, call, checkedOperations, checkReply, operationFor, OPERATIONS } from "./helpers/api";
import { db } from "./helpers/fixtures";

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : Promise.resolve(e.name === "route.ts" ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

describe("OpenAPI document", () => {
  it("lists every route file under app/api, under the path its folders spell, and describes every method it exports", async () => {
    const files = (await routeFiles("app/api")).map((file) => "/" + path.dirname(path.relative("app", file)).replace(/\[\.\.\.([^\]]+)\]/g, "{...$1}").replace(/\[([^\]]+)\]/g, "{$1}"));
    expect(API_ROUTES.map((r) => r.path).sort()).toEqual(files.sort());
    const served = new Set<string>();
    for (const file of await routeFiles("app/api")) {
      const routePath = "/" + path.dirname(path.relative("app", file)).replace(/\[([^\]]+)\]/g, "{$1}");
      if (routePath.startsWith("/api/auth/")) continue; // better-auth's own endpoints
      const source = await readFile(file, "utf8");
      for (const m of source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)) served.add(`${m[1]!.toLowerCase()} ${routePath}`);
    }
    const described = new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`));
    expect([...served].filter((x) => !described.has(x))).toEqual([]);
    expect([...described].filter((x) => !served.has(x))).toEqual([]);
  });

  it("is served as OpenAPI 3.1 with request schemas from the handlers' zod schemas", async () => {
    const res = await call(openapi.GET, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    const put = res.json.paths["/api/fair-scheduler/orgs/{orgId}"].put;
    const schema = put.requestBody.content["application/json"].schema;
    expect(schema.properties.weight).toMatchObject({ type: "integer", minimum: 1 });
    expect(schema.additionalProperties).toBe(false);
    expect(put.parameters).toEqual([expect.objectContaining({ name: "orgId", in: "path", required: true })]);
  });

  it("documents the reply of every operation that answers JSON, from a zod schema", async () => {
    const res = await call(openapi.GET, "GET", "/api/openapi.json");
    const missing: string[] = [];
    for (const op of OPERATIONS) {
      const status = successStatus(op);
      const success = res.json.paths[op.path][op.method].responses[status];
      expect(success, `${op.method} ${op.path}`).toBeDefined();
      if (status === 204) {
        expect(success.content, `${op.method} ${op.path}`).toBeUndefined();
        continue;
      }
      const types = Object.keys(success.content ?? {});
      if (op.doc.produces) {
        expect(types, `${op.method} ${op.path}`).toEqual([op.doc.produces]);
        continue;
      }
      const schema = success.content?.["application/json"]?.schema;
      const describesSomething = schema && Object.keys(schema).some((k) => ["type", "oneOf", "anyOf"].includes(k));
      if (!op.doc.response || !describesSomething) missing.push(`${op.method} ${op.path}`);
    }
    expect(missing).toEqual([]);
    const project = res.json.paths["/api/orgs/{orgId}/projects/{projectId}"].get.responses;
    expect(project["200"].content["application/json"].schema).toMatchObject({ type: "object", additionalProperties: false, required: expect.arrayContaining(["id", "inFlight", "effectiveMaxConcurrentJobs"]) });
    expect(project["404"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
    expect(Object.keys(res.json.paths["/api/orgs/{orgId}/pools/{poolId}"].delete.responses)).toEqual(expect.arrayContaining(["204", "401", "403", "404"]));
  });

  describe("the reply guard every API test goes through", () => {
    it("matches paths to operations: one segment per {param}, query string ignored, literal segments first", () => {
      expect(operationFor("GET", "/api/orgs/5b2a/projects/9c1d?x=1")?.path).toBe("/api/orgs/{orgId}/projects/{projectId}");
      expect(operationFor("GET", "/api/fair-scheduler/samples?top=2")?.path).toBe("/api/fair-scheduler/samples");
      expect(operationFor("GET", "/api/private/lifecycle_management/parallel_execution_settings:details?orgId=x")?.path).toBe("/api/private/lifecycle_management/parallel_execution_settings:details");
      expect(operationFor("GET", "/api/orgs/a/b/projects")).toBeUndefined();
      expect(operationFor("PUT", "/api/orgs/a/projects")).toBeUndefined();
    });

    it("rejects a reply with a field missing, a field too many or a wrong type, naming the operation and the field", async () => {
      const w = await apiWorld("openapi-guard");
      const path = `/api/orgs/${w.a.id}/projects/${w.a.projectId}`;
      const real = await call(projectRoute.GET, "GET", path, { token: w.tokens.memberA, params: { orgId: w.a.id, projectId: w.a.projectId } });
      expect(real.status).toBe(200);
      const check = (json: unknown) => () => checkReply("GET", path, 200, "application/json", json);
      expect(check(real.json)).not.toThrow();
      const missing = { ...real.json };
      delete missing.inFlight;
      expect(check(missing)).toThrow(/GET \/api\/orgs\/\{orgId\}\/projects\/\{projectId\} \(200\) does not match[\s\S]*inFlight/);
      expect(check({ ...real.json, secret: 1 })).toThrow(/secret/);
      expect(check({ ...real.json, createdAt: 1_700_000_000_000 })).toThrow(/createdAt/);
      expect(check([real.json])).toThrow(/does not match/);

      // Through call(), as every test uses it: a handler answering the wrong shape fails the call.
      const wrong = async () => Response.json({ ...real.json, inFlight: undefined });
      await expect(call(wrong, "GET", path)).rejects.toThrow(/inFlight/);
    });

    it("rejects JSON from an operation without a response schema, an undocumented path or status, and lets documented non-JSON replies through", async () => {
      const json = (status: number) => async () => Response.json({ ok: true }, { status });
      // An operation whose `response` is missing, as a new route might forget it.
      const withoutSchema = OPERATIONS.find((o) => o.path === "/api/orgs/{orgId}/triggers" && o.method === "get")!;
      const { doc } = withoutSchema;
      try {
        withoutSchema.doc = { ...doc, response: undefined };
        await expect(call(json(200), "GET", "/api/orgs/x/triggers")).rejects.toThrow(/documents no reply/);
      } finally {
        withoutSchema.doc = doc;
      }
      await expect(call(json(200), "GET", "/api/nowhere")).rejects.toThrow(/no operation/);
      await expect(call(json(200), "POST", "/api/orgs/x/projects")).rejects.toThrow(/answered 200; the OpenAPI document says 201/);
      await expect(call(async () => new Response(null, { status: 204 }), "DELETE", "/api/orgs/x/projects/y")).rejects.toThrow(/204/);
      await expect(call(async () => new Response(null, { status: 204 }), "DELETE", "/api/orgs/x/pools/y")).resolves.toMatchObject({ status: 204 });
      await expect(call(async () => new Response("up 1\n", { headers: { "content-type": "text/plain; version=0.0.4" } }), "GET", "/api/metrics")).resolves.toMatchObject({ status: 200 });
      // Errors are checked against the Problem shape, not the success schema: problem+json with its status.
      const problemReply = (status: number, body: object = { type: "t", title: "Not Found", status, code: "not_found", detail: "d", requestId: "r" }) => async () =>
        new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
      await expect(call(problemReply(404), "GET", "/api/orgs/x/projects/y")).resolves.toMatchObject({ status: 404 });
      await expect(call(json(404), "GET", "/api/orgs/x/projects/y")).rejects.toThrow(/not its documented error reply/);
      await expect(call(problemReply(404, { type: "t", title: "x", status: 409, code: "c", detail: "d", requestId: "r" }), "GET", "/api/orgs/x/projects/y")).rejects.toThrow(/carrying their status/);
      // Health documents its own 503.
      await expect(call(async () => Response.json({ status: "degraded", database: { status: "unreachable" } }, { status: 503 }), "GET", "/api/health")).resolves.toMatchObject({ status: 503 });
    });
  });

  describe("a walk through every operation", () => {
    const SECRET = "embedding-key-for-openapi-walk-0123456789";
    afterAll(() => {
      delete process.env.EMBED_JWT_SECRET;
      resetEnvCache();
    });

    it("gets replies that match the document from each operation that answers JSON", async () => {
      const w = await apiWorld("openapi-walk");
      const a = w.a.id;
      const { adminA: admin, memberA: member, workerA: worker, platformAdmin: ops } = w.tokens;
      const ok = async (res: Promise<{ status: number; json: unknown; text: string }> | { status: number; json: unknown; text: string }, status = 200) => {
        const r = await res;
        expect(r.status, r.text).toBe(status);
        // Replies are typed loosely in tests (see call); the guard checked their shape already.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return r.json as any;
      };

      await ok(call(health.GET, "GET", "/api/health"));
      await ok(call(openapi.GET, "GET", "/api/openapi.json"));
      await ok(call(platformSettings.GET, "GET", "/api/platform/settings", { token: ops }));
      await ok(call(platformSettings.PUT, "PUT", "/api/platform/settings", { token: ops, body: { globalCapacity: 0 } }));
      const settingsPath = `/api/private/lifecycle_management/parallel_execution_settings?orgId=${a}`;
      await ok(call(parallel.PUT, "PUT", settingsPath, { token: admin, body: { max_paused_slots: 0 } }));
      await ok(call(parallel.GET, "GET", settingsPath, { token: member }));
      await ok(call(parallelDetails.GET, "GET", settingsPath.replace("settings?", "settings:details?"), { token: member }));

      const orgPath = `/api/orgs/${a}`;
      const q = await ok(call(queues.POST, "POST", `${orgPath}/queues`, { token: admin, params: { orgId: a }, body: { name: "walk" } }), 201);
      await ok(call(queueRoute.PATCH, "PATCH", `${orgPath}/queues/${q.id}`, { token: admin, params: { orgId: a, queueId: q.id }, body: { priority: 5 } }));
      await ok(call(queues.GET, "GET", `${orgPath}/queues`, { token: member, params: { orgId: a } }));
      const pool = await ok(call(pools.POST, "POST", `${orgPath}/pools`, { token: admin, params: { orgId: a }, body: { key: "walk", limit: 4 } }), 201);
      await ok(call(poolRoute.PATCH, "PATCH", `${orgPath}/pools/${pool.id}`, { token: admin, params: { orgId: a, poolId: pool.id }, body: { limit: 5 } }));
      const p = await ok(call(projects.POST, "POST", `${orgPath}/projects`, { token: admin, params: { orgId: a }, body: { name: "walk", poolId: pool.id, defaultQueueId: q.id } }), 201);
      const projectParams = { orgId: a, projectId: p.id };
      await ok(call(projectRoute.PATCH, "PATCH", `${orgPath}/projects/${p.id}`, { token: admin, params: projectParams, body: { maxConcurrentJobs: 3 } }));
      await ok(call(projectRoute.GET, "GET", `${orgPath}/projects/${p.id}`, { token: member, params: projectParams }));
      await ok(call(projects.GET, "GET", `${orgPath}/projects`, { token: member, params: { orgId: a } }));
      await ok(call(pools.GET, "GET", `${orgPath}/pools`, { token: member, params: { orgId: a } }));
      const f = await ok(call(flows.POST, "POST", `${orgPath}/flows`, { token: admin, params: { orgId: a }, body: { name: "walk", projectId: p.id, concurrency: { limit: 2 } } }), 201);
      const flowParams = { orgId: a, flowId: f.id };
      await ok(call(flowRoute.PATCH, "PATCH", `${orgPath}/flows/${f.id}`, { token: admin, params: flowParams, body: { childConcurrency: 2 } }));
      await ok(call(flowRoute.GET, "GET", `${orgPath}/flows/${f.id}`, { token: member, params: flowParams }));
      const t = await ok(call(triggers.POST, "POST", `${orgPath}/triggers`, { token: admin, params: { orgId: a }, body: { name: "walk", flowId: f.id } }), 201);
      await ok(call(triggers.GET, "GET", `${orgPath}/triggers`, { token: member, params: { orgId: a } }));
      // Limits: a key rule on the flow (roomy enough to change nothing below), an override, the org's own limits.
      const rule = await ok(call(keyRules.POST, "POST", `${orgPath}/key-rules`, { token: admin, params: { orgId: a }, body: { name: "walk", flowId: f.id, key: { source: "payload", path: "/walk" }, limit: 5, rateLimit: { limit: 1000, periodMs: 1000 } } }), 201);
      const ruleParams = { orgId: a, ruleId: rule.id };
      await ok(call(keyRule.PATCH, "PATCH", `${orgPath}/key-rules/${rule.id}`, { token: admin, params: ruleParams, body: { limit: 6 } }));
      await ok(call(keyRule.GET, "GET", `${orgPath}/key-rules/${rule.id}`, { token: member, params: ruleParams }));
      await ok(call(keyRules.GET, "GET", `${orgPath}/key-rules?flowId=${f.id}`, { token: member, params: { orgId: a } }));
      await ok(call(ruleOverrides.PUT, "PUT", `${orgPath}/key-rules/${rule.id}/overrides`, { token: admin, params: ruleParams, body: { key: "true", limit: 7 } }));
      await ok(call(ruleOverrides.GET, "GET", `${orgPath}/key-rules/${rule.id}/overrides`, { token: member, params: ruleParams }));
      await ok(call(orgLimits.PATCH, "PATCH", `${orgPath}/limits`, { token: admin, params: { orgId: a }, body: { rateLimit: { limit: 1000, periodMs: 1000 }, maxQueued: 1000 } }));
      await ok(call(orgLimits.GET, "GET", `${orgPath}/limits`, { token: member, params: { orgId: a } }));

      // Executions through the worker protocol: claim, heartbeat, pause, resume, complete, release.
      const submit = () => ok(call(executions.POST, "POST", "/api/executions", { token: member, body: { orgId: a, projectId: p.id, flowId: f.id, payload: { walk: true } } }), 201);
      const [e1, e2, e3] = [await submit(), await submit(), await submit()];
      const { workerId } = await ok(call(register.POST, "POST", "/api/workers/register", { token: worker, body: { name: "walker", queues: ["walk"] } }), 201);
      const claimed = (await ok(call(claim.POST, "POST", "/api/workers/claim", { token: worker, body: { workerId, limit: 5 } }))).claimed;
      expect(claimed.map((c: { id: string }) => c.id).sort()).toEqual([e1.id, e2.id].sort()); // the flow's limit is 2
      const lease = (id: string) => claimed.find((c: { id: string }) => c.id === id);
      await ok(call(heartbeat.POST, "POST", "/api/workers/heartbeat", { token: worker, body: { workerId, leases: [{ executionId: e1.id, leaseToken: lease(e1.id).leaseToken }] } }));
      // Paused for approval (explain says so), approved by an admin, continued by the next claim
      // in the slot it kept; paused as a delay, resumed early by its worker.
      await ok(call(pause.POST, "POST", "/api/workers/pause", { token: worker, body: { workerId, executionId: e1.id, leaseToken: lease(e1.id).leaseToken, approval: { timeoutMs: 3_600_000 } } }));
      expect((await ok(call(execution.GET, "GET", `/api/executions/${e1.id}`, { token: member, params: { id: e1.id } }))).explain[0].code).toBe("paused");
      expect(await ok(call(approve.POST, "POST", `/api/executions/${e1.id}/resume`, { token: admin, params: { id: e1.id }, body: { note: "walk" } }))).toEqual({ state: "QUEUED", holdsSlot: true });
      const [continued] = (await ok(call(claim.POST, "POST", "/api/workers/claim", { token: worker, body: { workerId, limit: 1 } }))).claimed;
      expect(continued).toMatchObject({ id: e1.id, resumed: true });
      await ok(call(pause.POST, "POST", "/api/workers/pause", { token: worker, body: { workerId, executionId: e1.id, leaseToken: continued.leaseToken, delayMs: 60_000 } }));
      expect((await ok(call(resume.POST, "POST", "/api/workers/resume", { token: worker, body: { workerId, executionId: e1.id } }))).state).toBe("QUEUED");
      const [again1] = (await ok(call(claim.POST, "POST", "/api/workers/claim", { token: worker, body: { workerId, limit: 1 } }))).claimed;
      await ok(call(complete.POST, "POST", "/api/workers/complete", { token: worker, body: { workerId, outcomes: [{ executionId: e1.id, leaseToken: again1.leaseToken, status: "SUCCESS", result: { rows: 3 } }] } }));
      await ok(call(release.POST, "POST", "/api/workers/release", { token: worker, body: { workerId, leases: [{ executionId: e2.id, leaseToken: lease(e2.id).leaseToken }] } }));
      const [again] = (await ok(call(claim.POST, "POST", "/api/workers/claim", { token: worker, body: { workerId, limit: 1 } }))).claimed;
      // A claim that reports an outcome, so `completed` is not an empty array in the check.
      const reported = await ok(call(claim.POST, "POST", "/api/workers/claim", { token: worker, body: { workerId, limit: 0, complete: [{ executionId: again.id, leaseToken: again.leaseToken, status: "FAILED", error: "walk" }] } }));
      expect(reported.completed).toHaveLength(1);
      // A scheduled one, so explain says when it starts; the keys view then has a key with work.
      const later = await ok(call(executions.POST, "POST", "/api/executions", { token: member, body: { orgId: a, projectId: p.id, flowId: f.id, payload: { walk: true }, delayMs: 60_000 } }), 201);
      await ok(call(execution.GET, "GET", `/api/executions/${later.id}`, { token: member, params: { id: later.id } }));
      expect((await ok(call(ruleKeys.GET, "GET", `${orgPath}/key-rules/${rule.id}/keys?sort=queued`, { token: member, params: ruleParams }))).items.length).toBeGreaterThan(0);
      await ok(call(ruleOverrides.DELETE, "DELETE", `${orgPath}/key-rules/${rule.id}/overrides?key=true`, { token: admin, params: ruleParams }), 204);
      await ok(call(keyRule.DELETE, "DELETE", `${orgPath}/key-rules/${rule.id}`, { token: admin, params: ruleParams }), 204);
      // A sample, so the chart replies carry points.
      expect(await recordSamples(db())).toBeGreaterThan(0);

      await ok(call(executions.GET, "GET", `/api/executions?orgId=${a}&limit=2`, { token: member }));
      for (const e of [e1, e3]) await ok(call(execution.GET, "GET", `/api/executions/${e.id}`, { token: member, params: { id: e.id } }));
      await ok(call(flows.GET, "GET", `${orgPath}/flows`, { token: member, params: { orgId: a } }));
      await ok(call(flowConcurrency.GET, "GET", `/api/flows/${f.id}/concurrency`, { token: member, params: { flowId: f.id } }));
      expect((await ok(call(flowSamples.GET, "GET", `/api/flows/${f.id}/samples`, { token: member, params: { flowId: f.id } }))).points.length).toBeGreaterThan(0);
      await ok(call(fairOrgs.GET, "GET", "/api/fair-scheduler/orgs", { token: ops }));
      await ok(call(fairOrg.GET, "GET", `/api/fair-scheduler/orgs/${a}`, { token: member, params: { orgId: a } }));
      await ok(call(fairOrg.PUT, "PUT", `/api/fair-scheduler/orgs/${a}`, { token: ops, params: { orgId: a }, body: { weight: 2 } }));
      expect((await ok(call(platformSamples.GET, "GET", "/api/fair-scheduler/samples", { token: ops }))).points.length).toBeGreaterThan(0);
      expect((await ok(call(orgSamples.GET, "GET", `/api/fair-scheduler/orgs/${a}/samples`, { token: member, params: { orgId: a } }))).points.length).toBeGreaterThan(0);
      await ok(call(metrics.GET, "GET", "/api/metrics", { token: ops }));
      // Aged a day, what waits fires a queue-age alert (docs/operations.md, "Alerts"): the alert replies carry one.
      await db().query("UPDATE execution SET created_at = created_at - interval '1 day' WHERE org_id = $1 AND state = 'QUEUED'", [a]);
      await db().query("UPDATE execution_transition SET at = at - interval '1 day' WHERE org_id = $1", [a]);
      expect((await ok(call(orgAlertsRoute.GET, "GET", `${orgPath}/alerts`, { token: member, params: { orgId: a } }))).alerts.length).toBeGreaterThan(0);
      expect((await ok(call(alertsRoute.GET, "GET", "/api/alerts", { token: ops }))).alerts.length).toBeGreaterThan(0);

      process.env.EMBED_JWT_SECRET = SECRET;
      resetEnvCache();
      const jwt = await new SignJWT({ orgId: a, externalUserId: "walker", email: "walker@example.com", externalProjectId: "walk", projectName: "embedded walk", concurrencyPoolKey: "walk-embed", concurrencyPoolLimit: 2 })
        .setProtectedHeader({ alg: "HS256" }).setExpirationTime("5m").sign(new TextEncoder().encode(SECRET));
      await ok(call(provision.POST, "POST", "/api/embed/provision", { headers: { authorization: `Bearer ${jwt}` } }));

      // Ending things: kill, delete, and the deletions without a body.
      await ok(call(kill.POST, "POST", `/api/executions/${e3.id}/kill`, { token: admin, params: { id: e3.id } }));
      const rerunOfE3 = await ok(call(rerun.POST, "POST", `/api/executions/${e3.id}/rerun`, { token: member, params: { id: e3.id } }), 201);
      await ok(call(force.POST, "POST", `/api/executions/${rerunOfE3.id}/force`, { token: admin, params: { id: rerunOfE3.id }, body: { reason: "walk" } }));
      await ok(call(kill.POST, "POST", `/api/executions/${rerunOfE3.id}/kill`, { token: admin, params: { id: rerunOfE3.id } }));
      await ok(call(bulkRerun.POST, "POST", `${orgPath}/executions/rerun`, { token: member, params: { orgId: a }, body: { filter: { state: "KILLED" }, limit: 1 } }));
      await ok(call(bulkKill.POST, "POST", `${orgPath}/executions/kill`, { token: admin, params: { orgId: a }, body: { filter: { state: "QUEUED" }, dryRun: true } }));
      await ok(call(execution.DELETE, "DELETE", `/api/executions/${e3.id}`, { token: admin, params: { id: e3.id } }));
      await ok(call(triggerRoute.DELETE, "DELETE", `${orgPath}/triggers/${t.id}`, { token: admin, params: { orgId: a, triggerId: t.id } }), 204);
      await ok(call(flowRoute.DELETE, "DELETE", `${orgPath}/flows/${f.id}`, { token: admin, params: flowParams }));
      await ok(call(projectRoute.DELETE, "DELETE", `${orgPath}/projects/${p.id}`, { token: admin, params: projectParams }));
      await ok(call(poolRoute.DELETE, "DELETE", `${orgPath}/pools/${pool.id}`, { token: admin, params: { orgId: a, poolId: pool.id } }), 204);
      const unused = await ok(call(queues.POST, "POST", `${orgPath}/queues`, { token: admin, params: { orgId: a }, body: { name: "unused" } }), 201);
      await ok(call(queueRoute.DELETE, "DELETE", `${orgPath}/queues/${unused.id}`, { token: admin, params: { orgId: a, queueId: unused.id } }), 204);
      await ok(call(audit.GET, "GET", `/api/audit?orgId=${a}`, { token: admin }));
      expect((await ok(call(workersRoute.GET, "GET", `${orgPath}/workers`, { token: member, params: { orgId: a } }))).workers.length).toBeGreaterThan(0);

      // Onboarding: an org, its people, its tokens (docs/operations.md).
      const created = await ok(call(orgsRoute.POST, "POST", "/api/orgs", { token: ops, body: { name: "Walk Org" } }), 201);
      await ok(call(orgsRoute.GET, "GET", "/api/orgs", { token: ops }));
      await ok(call(orgRoute.GET, "GET", `/api/orgs/${created.id}`, { token: ops, params: { orgId: created.id } }));
      await ok(call(orgRoute.PATCH, "PATCH", `/api/orgs/${created.id}`, { token: ops, params: { orgId: created.id }, body: { name: "Walked Org" } }));
      const added = await ok(call(membersRoute.POST, "POST", `/api/orgs/${created.id}/members`, { token: ops, params: { orgId: created.id }, body: { email: "walker@walk.dev", role: "ADMIN" } }), 201);
      await ok(call(membersRoute.GET, "GET", `/api/orgs/${created.id}/members`, { token: ops, params: { orgId: created.id } }));
      await ok(call(memberRoute.PATCH, "PATCH", `/api/orgs/${created.id}/members/${added.userId}`, { token: ops, params: { orgId: created.id, userId: added.userId }, body: { role: "MEMBER" } }));
      await ok(call(memberRoute.DELETE, "DELETE", `/api/orgs/${created.id}/members/${added.userId}`, { token: ops, params: { orgId: created.id, userId: added.userId } }), 204);
      const orgToken = await ok(call(orgTokensRoute.POST, "POST", `/api/orgs/${created.id}/tokens`, { token: ops, params: { orgId: created.id }, body: { name: "walk" } }), 201);
      await ok(call(orgTokensRoute.GET, "GET", `/api/orgs/${created.id}/tokens`, { token: ops, params: { orgId: created.id } }));
      await ok(call(orgTokenRoute.DELETE, "DELETE", `/api/orgs/${created.id}/tokens/${orgToken.id}`, { token: ops, params: { orgId: created.id, tokenId: orgToken.id } }), 204);
      const platformToken = await ok(call(platformTokensRoute.POST, "POST", "/api/platform/tokens", { token: ops, body: { name: "walk", kind: "platform_admin" } }), 201);
      await ok(call(platformTokensRoute.GET, "GET", "/api/platform/tokens", { token: ops }));
      await ok(call(platformTokenRoute.DELETE, "DELETE", `/api/platform/tokens/${platformToken.id}`, { token: ops, params: { tokenId: platformToken.id } }), 204);
      await ok(call(orgRoute.DELETE, "DELETE", `/api/orgs/${created.id}`, { token: ops, params: { orgId: created.id } }));

      // A new operation answering JSON must be walked here too, so its schema meets a real reply.
      const unchecked = OPERATIONS.filter((o) => o.doc.response && !checkedOperations.has(`${o.method} ${o.path}`)).map((o) => `${o.method} ${o.path}`);
      expect(unchecked).toEqual([]);
    });
  });
});
