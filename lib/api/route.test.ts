import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { AppError, notFound } from "../core/errors";
import { log } from "../core/log";
import { json } from "./reply";
import { route } from "./route";

// The wrapper's contract without a database: who is calling is decided by this stub.
const caller: { principal: Principal | null } = { principal: null };
vi.mock("../auth/principal", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../auth/principal")>()),
  authenticate: async () => caller.principal,
}));

const ACME = "11111111-1111-4111-8111-111111111111";
const BETA = "22222222-2222-4222-8222-222222222222";
const member: Principal = { kind: "user", userId: "u1", email: "member@acme.dev", name: "m", platformAdmin: false, memberships: [{ orgId: ACME, role: "MEMBER" }] };

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/things", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
const withParams = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await response.json();
  expect(body).toMatchObject({ status: response.status, requestId: response.headers.get("x-request-id") });
  expect(body.type).toMatch(/^https:\/\//);
  expect(typeof body.title).toBe("string");
  expect(typeof body.code).toBe("string");
  expect(typeof body.detail).toBe("string");
  return body;
}

const doc = { summary: "a test route" };

const createThing = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: z.strictObject({ orgId: z.uuid() }),
  body: z.strictObject({ name: z.string().min(1), limit: z.number().int().min(1).optional(), nested: z.strictObject({ x: z.number() }).optional() }),
  maxBodyBytes: 200,
  doc,
  handler: ({ params, body, grant }) => ({ orgId: grant.orgId, name: body.name, same: params.orgId === grant.orgId }),
});

beforeEach(() => {
  caller.principal = member;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("route()", () => {
  it("calls the handler with validated input and answers JSON with the request id", async () => {
    const response = await createThing(post('{"name":"a"}', { "x-request-id": "req-1" }), withParams({ orgId: ACME }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ orgId: ACME, name: "a", same: true });
  });

  it("makes up a request id when the caller sent none", async () => {
    const response = await createThing(post('{"name":"a"}'), withParams({ orgId: ACME }));
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("401 when authentication is required and there is no principal", async () => {
    caller.principal = null;
    const response = await createThing(post('{"name":"a"}'), withParams({ orgId: ACME }));
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toMatchObject({ code: "unauthenticated", title: "Unauthorized" });
  });

  it("public routes run without a principal, and look nobody up even when credentials are sent", async () => {
    caller.principal = member;
    const open = route({ need: (who) => who.anyone(), doc, handler: ({ principal }) => ({ anonymous: principal === null }) });
    const response = await open(new Request("http://localhost/api/open", { headers: { authorization: "Bearer sw_x" } }));
    expect(await response.json()).toEqual({ anonymous: true });
  });

  it("refuses, when it is defined, a route that says nothing of who may call it: it is never served", () => {
    expect(() => route({ doc, handler: () => ({}) } as unknown as Parameters<typeof route>[0])).toThrow(/declares no need/);
  });

  it("checks who may call before it reads the body: an outsider learns nothing of what a valid body would be", async () => {
    const response = await createThing(post('{"name":""}'), withParams({ orgId: BETA }));
    expect(response.status).toBe(404);
  });

  it("answers with the status the route documents: 201 with the result, 204 without a body", async () => {
    const made = route({ need: (who) => who.signedIn(), doc: { ...doc, status: 201 }, handler: () => ({ id: 1 }) });
    const gone = route({ need: (who) => who.signedIn(), doc: { ...doc, status: 204 }, handler: () => ({ ignored: true }) });
    const first = await made(new Request("http://localhost/api/x"));
    expect([first.status, await first.json()]).toEqual([201, { id: 1 }]);
    const second = await gone(new Request("http://localhost/api/x"));
    expect([second.status, await second.text()]).toEqual([204, ""]);
  });

  it("400 on malformed JSON", async () => {
    const response = await createThing(post('{"name":'), withParams({ orgId: ACME }));
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ code: "bad_request", detail: "The body is not valid JSON." });
  });

  it("404, not 403, for an org the caller does not belong to", async () => {
    const response = await createThing(post('{"name":"a"}'), withParams({ orgId: BETA }));
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ code: "not_found", title: "Not Found" });
  });

  it("passes an AppError's status and code through", async () => {
    const missing = route({ need: (who) => who.signedIn(), doc, handler: () => { throw notFound("Flow"); } });
    const response = await missing(new Request("http://localhost/api/flows/x"));
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ detail: "Flow not found." });
    const off = route({ need: (who) => who.anyone(), doc, handler: () => { throw new AppError(503, "embedding_disabled", "Embedding is not configured."); } });
    expect(await problemOf(await off(new Request("http://localhost/api/embed/provision")))).toMatchObject({ status: 503, title: "Service Unavailable" });
  });

  it("413 when the declared or actual body exceeds the limit", async () => {
    const big = JSON.stringify({ name: "x".repeat(500) });
    const declared = await createThing(post(big, { "content-length": String(big.length) }), withParams({ orgId: ACME }));
    expect(declared.status).toBe(413);
    expect(await problemOf(declared)).toMatchObject({ code: "body_too_large", title: "Content Too Large" });
    const undeclared = await createThing(post(big), withParams({ orgId: ACME }));
    expect(undeclared.status).toBe(413);
  });

  it("64 KiB is the default body limit", async () => {
    const echo = route({ need: (who) => who.signedIn(), body: z.strictObject({ s: z.string() }), doc, handler: ({ body }) => ({ length: body.s.length }) });
    expect((await echo(post(JSON.stringify({ s: "x".repeat(60_000) })))).status).toBe(200);
    expect((await echo(post(JSON.stringify({ s: "x".repeat(70_000) })))).status).toBe(413);
  });

  it("415 for a body that is not JSON; media types are case-insensitive", async () => {
    const response = await createThing(post("name=a", { "content-type": "application/x-www-form-urlencoded" }), withParams({ orgId: ACME }));
    expect(response.status).toBe(415);
    const shouted = await createThing(post('{"name":"a"}', { "content-type": "Application/JSON; charset=UTF-8" }), withParams({ orgId: ACME }));
    expect(shouted.status).toBe(200);
  });

  it("422 naming every offending field and its rule, including unknown fields", async () => {
    const response = await createThing(post('{"name":"","limit":0,"nested":{"x":"1"},"extra":true}'), withParams({ orgId: ACME }));
    expect(response.status).toBe(422);
    const body = await problemOf(response);
    expect(body.code).toBe("validation_failed");
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["extra", "limit", "name", "nested.x"]);
    expect(body.errors.find((e: { field: string }) => e.field === "extra").message).toBe("unknown field");
    expect(body.errors.find((e: { field: string }) => e.field === "limit").message).toMatch(/>=\s*1/);
  });

  it("404 for a path id of any shape that names nothing; 422 for bad query parameters, prefixed with where they came from", async () => {
    const list = route({ need: (who) => who.orgMember(({ params }) => params.orgId), params: z.strictObject({ orgId: z.uuid() }), query: z.strictObject({ limit: z.coerce.number().int().max(10) }), doc, handler: () => [] });
    const response = await list(new Request("http://localhost/api/x?limit=99&sort=name"), withParams({ orgId: "nope" }));
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ code: "not_found", detail: "Organization not found." });
    const again = await list(new Request("http://localhost/api/x?limit=99&sort=name"), withParams({ orgId: ACME }));
    expect((await problemOf(again)).errors.map((e: { field: string }) => e.field).sort()).toEqual(["query.limit", "query.sort"]);
  });

  it("500 that leaks nothing for an unexpected error, logged with the request id", async () => {
    const logged = vi.spyOn(log(), "error").mockImplementation(() => undefined);
    const broken = route({
      need: (who) => who.signedIn(),
      doc,
      handler: () => {
        throw new Error('relation "secret_table" does not exist: SELECT password FROM secret_table');
      },
    });
    const response = await broken(new Request("http://localhost/api/broken", { headers: { "x-request-id": "req-500" } }));
    expect(response.status).toBe(500);
    const body = await problemOf(response);
    expect(body).toMatchObject({ code: "internal_error", title: "Internal Server Error", requestId: "req-500" });
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/secret_table|SELECT|stack|at /);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]![0]).toMatchObject({ requestId: "req-500" });
  });

  it("keeps a Response the handler returns, adding the request id", async () => {
    const custom = route({ need: (who) => who.signedIn(), doc, handler: () => new Response(null, { status: 204 }) });
    const response = await custom(new Request("http://localhost/api/x", { headers: { "x-request-id": "r" } }));
    expect(response.status).toBe(204);
    expect(response.headers.get("x-request-id")).toBe("r");
  });
});

describe("json()", () => {
  it("writes BigInt values as numbers", async () => {
    expect(await json({ id: 7n, at: new Date(0) }).json()).toEqual({ id: 7, at: "1970-01-01T00:00:00.000Z" });
  });

  it("serializes a frozen (shared) result once, however many replies carry it", async () => {
    let serializations = 0;
    const shared = Object.freeze({ toJSON: () => ({ n: ++serializations }) });
    expect(await json(shared).json()).toEqual({ n: 1 });
    expect(await json(shared).json()).toEqual({ n: 1 });
    const fresh = { toJSON: () => ({ n: ++serializations }) };
    expect(await json(fresh).json()).toEqual({ n: 2 });
    expect(await json(fresh).json()).toEqual({ n: 3 });
  });
});
