import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../app/api/routes";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import { mintToken } from "../../lib/auth/tokens";
import { prisma } from "../../lib/db/client";
import type { MountedRoute } from "../../lib/server/api-app";
import { startServer, type AppServer } from "../../lib/server/server";
import { call } from "./helpers/api";
import { org } from "./helpers/fixtures";

// The server `npm run dev` and `npm start` run (lib/server/server.ts), as an API-only instance
// (SLOTWISE_ROLE=api: no Next.js), over real HTTP: every route of the route list plus a few of
// the test's own that show what the node:http ↔ fetch adapter must carry.

let aborted: Promise<void>;
let markAborted: () => void;
const testRoutes: MountedRoute[] = [
  {
    path: "/api/test/echo/{id}",
    module: {
      POST: async (request, context) =>
        Response.json({
          params: await context!.params,
          url: request.url,
          body: await request.text(),
          repeated: request.headers.get("x-repeated"),
          forwarded: Object.fromEntries([...request.headers].filter(([name]) => name.startsWith("x-forwarded-"))),
        }),
    },
  },
  {
    path: "/api/test/cookies",
    module: {
      GET: async () => {
        const headers = new Headers();
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2; Path=/; HttpOnly");
        return new Response(null, { status: 204, headers });
      },
    },
  },
  {
    path: "/api/test/hang",
    module: {
      GET: async (request) => {
        request.signal.addEventListener("abort", () => markAborted());
        return new Promise<Response>(() => undefined);
      },
    },
  },
  // Replies well over gzip's threshold, on the worker protocol's path and elsewhere.
  { path: "/api/workers/test-big", module: { GET: async () => Response.json({ filler: "x".repeat(8_000) }) } },
  { path: "/api/test/big", module: { GET: async () => Response.json({ filler: "x".repeat(8_000) }) } },
  { path: "/api/test/throws", module: { GET: async () => Promise.reject(new Error("secret detail")) } },
  {
    // Answers an event stream only once the test lets it, and says when the stream is cancelled.
    path: "/api/test/late-stream",
    module: {
      GET: async () => {
        markLateEntered();
        await lateGate;
        return new Response(new ReadableStream({ cancel: () => markLateCancelled() }), { headers: { "content-type": "text/event-stream" } });
      },
    },
  },
];
let markLateEntered: () => void;
const lateEntered = new Promise<void>((resolve) => (markLateEntered = resolve));
let openLateGate: () => void;
const lateGate = new Promise<void>((resolve) => (openLateGate = resolve));
let markLateCancelled: () => void;
const lateCancelled = new Promise<void>((resolve) => (markLateCancelled = resolve));

let app: AppServer;
let base: string;
let admin: string;

beforeAll(async () => {
  aborted = new Promise((resolve) => (markAborted = resolve));
  app = await startServer({ port: 0, hostname: "127.0.0.1", role: "api", routes: [...API_ROUTES, ...testRoutes] });
  base = `http://127.0.0.1:${app.port}`;
  admin = (await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "server-test" })).token;
});

afterAll(async () => {
  await app.close(0);
});

/** A raw request, so headers (repeated ones, compression) are seen as sent. */
function request(method: string, url: string, headers: http.OutgoingHttpHeaders = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${base}${url}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the server, as an API instance", () => {
  it("gives better-auth the client's address as a proxy would (it limits sign-in attempts per address)", async () => {
    const seen: Record<string, string | null> = {};
    const spy = await startServer({
      port: 0,
      hostname: "127.0.0.1",
      role: "api",
      routes: [{ path: "/api/auth/{...all}", module: { POST: async (r) => { seen.for = r.headers.get("x-forwarded-for"); seen.host = r.headers.get("x-forwarded-host"); return new Response(null, { status: 204 }); } } }],
    });
    try {
      await new Promise<void>((resolve, reject) => http.request(`http://127.0.0.1:${spy.port}/api/auth/sign-in/email`, { method: "POST" }, (r) => r.resume().on("end", resolve)).on("error", reject).end());
      expect(seen).toEqual({ for: "127.0.0.1", host: `127.0.0.1:${spy.port}` });
    } finally {
      await spy.close(0);
    }
  });

  it("answers a route handler's reply as the handler made it, with its length", async () => {
    const { id } = await org();
    const direct = await call(fairOrg.GET, "GET", `/api/fair-scheduler/orgs/${id}`, { token: admin, params: { orgId: id } });
    const res = await request("GET", `/api/fair-scheduler/orgs/${id}?ignored=1`, { authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(JSON.parse(res.body.toString())).toEqual(direct.json);
  });

  it("answers the handlers' own errors (401, 400 for bad JSON, 413) in their shape", async () => {
    const anonymous = await request("GET", "/api/fair-scheduler/orgs");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["content-type"]).toBe("application/problem+json");
    const { id } = await org();
    const json = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
    const badJson = await request("PUT", `/api/fair-scheduler/orgs/${id}`, json, "{");
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString())).toMatchObject({ status: 400, code: "bad_request" });
    const huge = await request("PUT", `/api/fair-scheduler/orgs/${id}`, json, JSON.stringify({ weight: 2, pad: "x".repeat(100_000) }));
    expect(huge.status).toBe(413);
  });

  it("carries the path's parameters, the URL, the body and repeated headers into the handler", async () => {
    const res = await request("POST", "/api/test/echo/a%20b?x=1", { "x-repeated": ["1", "2"], "content-type": "text/plain", host: "example.test:8080" }, "hello");
    expect(JSON.parse(res.body.toString())).toEqual({
      params: { id: "a b" },
      url: "http://example.test:8080/api/test/echo/a%20b?x=1",
      body: "hello",
      repeated: "1, 2",
      forwarded: {},
    });
  });

  it("keeps each Set-Cookie of a reply separate", async () => {
    const res = await request("GET", "/api/test/cookies");
    expect(res.status).toBe(204);
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
  });

  it("answers what no route serves: 405 with Allow, OPTIONS with the methods, HEAD like GET, a redirect for a trailing slash, 404 elsewhere", async () => {
    const wrongMethod = await request("DELETE", "/api/health");
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, "GET, HEAD, OPTIONS"]);
    const options = await request("OPTIONS", "/api/orgs/x/projects");
    expect([options.status, options.headers.allow]).toEqual([204, "GET, HEAD, POST, OPTIONS"]);
    const head = await request("HEAD", "/api/health");
    expect([head.status, head.body.length]).toEqual([200, 0]);
    const slash = await request("GET", "/api/health/");
    expect([slash.status, slash.headers.location]).toEqual([301, `${base}/api/health`]);
    for (const url of ["/api/nope", "/", "/orgs"]) {
      const res = await request("GET", url);
      expect([res.status, res.headers["content-type"]], url).toEqual([404, "application/problem+json"]);
    }
  });

  it("compresses for a client that accepts it, but not the worker protocol", async () => {
    const res = await request("GET", "/api/test/big", { "accept-encoding": "gzip" });
    expect([res.status, res.headers["content-encoding"]]).toEqual([200, "gzip"]);
    const plain = await request("GET", "/api/test/big");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(gunzipSync(res.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    // The worker protocol is never compressed, however large the reply.
    const worker = await request("GET", "/api/workers/test-big", { "accept-encoding": "gzip" });
    expect([worker.status, worker.headers["content-encoding"], worker.body.length > 8_000]).toEqual([200, undefined, true]);
  });

  it("streams an event stream as it is produced, and ends it when the client goes away", async () => {
    const url = new URL(`${base}/api/events`);
    const first = await new Promise<{ encoding: string | undefined; chunk: string; closed: Promise<void> }>((resolve, reject) => {
      const req = http.get(url, { headers: { authorization: `Bearer ${admin}`, "accept-encoding": "gzip" } }, (res) => {
        res.once("data", (chunk: Buffer) => {
          const closed = new Promise<void>((done) => res.once("close", () => done()));
          resolve({ encoding: res.headers["content-encoding"], chunk: chunk.toString(), closed });
          req.destroy();
        });
      });
      req.on("error", (error) => (error.message.includes("aborted") ? undefined : reject(error)));
    });
    expect(first.encoding).toBeUndefined();
    expect(first.chunk).toContain("event: ready");
    await first.closed;
  });

  // Its "close" has fired before the reply exists: nothing would ever tell the stream (a live-
  // updates subscription would have stayed open for the life of the process).
  it("cancels an event stream whose client left while the handler was still working", async () => {
    const req = http.get(`${base}/api/test/late-stream`);
    req.on("error", () => undefined);
    await lateEntered;
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the server sees the hang-up
    openLateGate();
    await lateCancelled;
  });

  it("aborts the handler's request when the client hangs up", async () => {
    const req = http.get(`${base}/api/test/hang`);
    req.on("error", () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    await aborted;
  });

  it("answers a handler that throws with a 500 problem naming only the request id", async () => {
    const res = await request("GET", "/api/test/throws", { "x-request-id": "req-42" });
    expect(res.status).toBe(500);
    expect(res.headers["x-request-id"]).toBe("req-42");
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const body = JSON.parse(res.body.toString());
    expect(body).toMatchObject({ status: 500, code: "internal_error", requestId: "req-42" });
    expect(res.body.toString()).not.toContain("secret detail");
  });
});
