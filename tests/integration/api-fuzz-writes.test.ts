import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../app/api/routes";
import { openApiDocument } from "../../lib/api/openapi";
import { claimExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { arbitraryFor, type JsonSchema } from "../support/json-schema-arbitrary";
import { apiWorld, call } from "./helpers/api";
import { concurrencyPool, db, flow, queue, trigger } from "./helpers/fixtures";

// A fuzz of every write operation of the OpenAPI document, its bodies generated from the
// document's own request schemas (tests/support/json-schema-arbitrary.ts): whatever a caller
// sends, the answer is never a 5xx, and an answer that refuses the request changed nothing.

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Everything a request could change, but the columns reads and liveness touch on the way. */
async function digest(): Promise<string> {
  const { rows } = await db().query<{ d: string }>(`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM organization t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM project t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM concurrency_pool t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM queue t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM flow t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM trigger t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM execution t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM execution_transition t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM dispatch_lane t),
      (SELECT string_agg(concat_ws(';', id, name, org_id, queues, token_id), ',' ORDER BY id) FROM worker),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM audit_event t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM platform_settings t),
      (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM membership t))) AS d`);
  return rows[0]!.d;
}

const WRITE_METHODS = new Set(["post", "put", "patch", "delete"]);

interface WriteOperation {
  method: string;
  path: string;
  who: string;
  body: JsonSchema;
  handler: Handler;
}

async function writeOperations(): Promise<WriteOperation[]> {
  const document = openApiDocument(API_ROUTES) as unknown as {
    paths: Record<string, Record<string, { description: string; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  };
  const operations: WriteOperation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content["application/json"]?.schema;
      if (!WRITE_METHODS.has(method) || !body) continue;
      const folder = template.replace(/\{(\w+)\}/g, "[$1]");
      const routeModule = (await import(path.resolve(`app${folder}/route.ts`))) as Record<string, Handler>;
      operations.push({ method: method.toUpperCase(), path: template, who: op.description, body, handler: routeModule[method.toUpperCase()]! });
    }
  }
  return operations;
}

/** A fresh org world per operation, with one of everything a path or body can name. */
async function fixturesFor(tag: string) {
  const w = await apiWorld(tag);
  const poolId = await concurrencyPool(w.a.id, 2);
  const queueId = await queue(w.a.id, `q-${tag}`);
  const flowId = await flow(w.a.id, w.a.projectId);
  const triggerId = await trigger(w.a.id, flowId);
  const workerRow = await db().query<{ id: string }>(
    "INSERT INTO worker (name, org_id, queues, token_id) SELECT 'fuzz', $1, '{}', id FROM api_token WHERE kind = 'WORKER' AND org_id = $1 RETURNING id",
    [w.a.id],
  );
  const workerId = workerRow.rows[0]!.id;
  const running = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId });
  await claimExecutions(db(), { workerId, limit: 1, orgId: w.a.id });
  const queued = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
  const params: Record<string, string> = { orgId: w.a.id, projectId: w.a.projectId, poolId, queueId, flowId, triggerId, id: queued.id };
  const ids = {
    ids: [w.a.id, w.b.id, w.a.projectId, w.b.projectId, poolId, queueId, flowId, triggerId, workerId, running.id, queued.id],
    byField: { orgId: w.a.id, projectId: w.a.projectId, poolId, defaultQueueId: queueId, flowId, triggerId, parentId: running.id, workerId, executionId: running.id, queue: "default" },
  };
  return { w, params, ids };
}

function tokenFor(op: WriteOperation, w: Awaited<ReturnType<typeof apiWorld>>): string | null {
  if (op.path.startsWith("/api/workers/")) return w.tokens.workerA;
  if (op.who.includes("platform admin") && !op.who.includes("org admin")) return w.tokens.platformAdmin;
  return w.tokens.adminA;
}

describe("fuzz of every write operation, from the OpenAPI document's request schemas", async () => {
  const operations = await writeOperations();

  it("covers the document's write operations", () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))("%s: never a 5xx; a refusal changes nothing", async (_name, op) => {
    const tag = `fz${Math.random().toString(36).slice(2, 8)}`;
    const { w, params, ids } = await fixturesFor(tag);
    const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name]!) + (op.path.startsWith("/api/private/") ? `?orgId=${w.a.id}` : "");
    const token = tokenFor(op, w);
    await fc.assert(
      fc.asyncProperty(arbitraryFor(op.body, ids), async (generated) => {
        let body = generated;
        // A valid long poll would only wait; how long it may wait is checked all the same.
        if (op.path === "/api/workers/claim" && body && typeof body === "object" && "waitMs" in body && typeof body.waitMs === "number" && body.waitMs > 0 && body.waitMs <= 30_000) {
          body = { ...body, waitMs: 0 };
        }
        const before = await digest();
        const reply = await call(op.handler, op.method, url, { token, params, body });
        expect(reply.status, `${op.method} ${op.path} ${JSON.stringify(body)} → ${reply.text.slice(0, 300)}`).toBeLessThan(500);
        if (reply.status >= 400) expect(await digest(), `${op.method} ${op.path} refused ${JSON.stringify(body)} with ${reply.status} but changed state`).toBe(before);
      }),
      { numRuns: 80, seed: 20261202 },
    );
  }, 120_000);
});
