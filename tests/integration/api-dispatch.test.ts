import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fairOrg from "../../app/api/fair-scheduler/orgs/[orgId]/route";
import { mintToken } from "../../lib/auth/tokens";
import { prisma } from "../../lib/db/client";
import { apiListener } from "../../lib/server/api-dispatch";
import { METHODS, type BuiltRoute, type RouteHandler } from "../../lib/server/built-routes";
import { call } from "./helpers/api";
import { org } from "./helpers/fixtures";
import { apiRouteFiles } from "../support/api-routes";

/**
 * The production server's API dispatch (lib/server/api-dispatch.ts) over real HTTP, with every
 * route handler of app/api (from source, as the other API tests load them) plus a few routes
 * of the test's own that show what the node:http ↔ fetch bridge must carry. What is not an API
 * route handler goes to the fallback, which stands in for Next.js here.
 */
async function sourceRoutes(): Promise<BuiltRoute[]> {
  return Promise.all(
    apiRouteFiles().map(async ({ pattern, file }) => {
      const exports = (await import(file)) as Record<string, unknown>;
      const handlers: BuiltRoute["handlers"] = {};
      for (const method of METHODS) if (typeof exports[method] === "function") handlers[method] = exports[method] as RouteHandler;
      return { pattern, handlers };
    }),
  );
}

let aborted: Promise<void>;
let markAborted: () => void;
const testRoutes: BuiltRoute[] = [
  {
    pattern: "/api/test/echo/[id]",
    handlers: {
      POST: async (request, { params }) =>
        Response.json({
          params: await params,
          url: request.url,
          body: await request.text(),
          repeated: request.headers.get("x-repeated"),
          forwarded: Object.fromEntries([...request.headers].filter(([name]) => name.startsWith("x-forwarded-"))),
        }),
    },
  },
  {
    pattern: "/api/test/cookies",
    handlers: {
      GET: async () => {
        const headers = new Headers();
        headers.append("set-cookie", "a=1; Path=/");
        headers.append("set-cookie", "b=2; Path=/; HttpOnly");
        return new Response(null, { status: 204, headers });
      },
    },
  },
  {
    pattern: "/api/test/hang",
    handlers: {
      GET: async (request) => {
        request.signal.addEventListener("abort", () => markAborted());
        return new Promise<Response>(() => undefined);
      },
    },
  },
  { pattern: "/api/test/throws", handlers: { GET: async () => Promise.reject(new Error("secret detail")) } },
  {
    // Answers an event stream only once the test lets it, and says when the stream is cancelled.
    pattern: "/api/test/late-stream",
    handlers: {
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

let server: http.Server;
let base: string;
let admin: string;

beforeAll(async () => {
  aborted = new Promise((resolve) => (markAborted = resolve));
  const fallback: http.RequestListener = (req, res) => res.writeHead(404, { "x-fallback": "next" }).end(`${req.method} ${req.url}`);
  server = http.createServer(apiListener([...(await sourceRoutes()), ...testRoutes], fallback));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = (await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "dispatch-test" })).token;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
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

describe("the production server's API dispatch", () => {
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
    const port = (server.address() as AddressInfo).port;
    const res = await request("POST", "/api/test/echo/a%20b?x=1", { "x-repeated": ["1", "2"], "content-type": "text/plain", host: "example.test:8080" }, "hello");
    expect(JSON.parse(res.body.toString())).toEqual({
      params: { id: "a b" },
      url: "http://example.test:8080/api/test/echo/a%20b?x=1",
      body: "hello",
      repeated: "1, 2",
      // As Next.js fills them in (better-auth's rate limit reads the client's address from them).
      forwarded: { "x-forwarded-host": "example.test:8080", "x-forwarded-port": String(port), "x-forwarded-proto": "http", "x-forwarded-for": "127.0.0.1" },
    });
    const proxied = await request("POST", "/api/test/echo/x", { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" }, "");
    const echoed = JSON.parse(proxied.body.toString());
    expect(echoed.forwarded).toMatchObject({ "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" });
    expect(echoed.url).toBe(`https://127.0.0.1:${port}/api/test/echo/x`);
  });

  it("keeps each Set-Cookie of a reply separate", async () => {
    const res = await request("GET", "/api/test/cookies");
    expect(res.status).toBe(204);
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
  });

  it("leaves to Next.js what is not a method a route handler exports", async () => {
    for (const [method, url] of [["GET", "/"], ["GET", "/orgs"], ["GET", "/api/nope"], ["GET", "/api/health/"], ["HEAD", "/api/health"], ["OPTIONS", "/api/health"], ["DELETE", "/api/health"], ["GET", "/api/orgs/%E0%A4%A/flows"]] as const) {
      const res = await request(method, url);
      expect(res.headers["x-fallback"], `${method} ${url}`).toBe("next");
    }
  });

  it("compresses for a client that accepts it, and never an event stream", async () => {
    for (let i = 0; i < 5; i++) await org();
    const res = await request("GET", "/api/fair-scheduler/orgs", { authorization: `Bearer ${admin}`, "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    const plain = await request("GET", "/api/fair-scheduler/orgs", { authorization: `Bearer ${admin}` });
    expect(JSON.parse(gunzipSync(res.body).toString())).toEqual(JSON.parse(plain.body.toString()));
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
