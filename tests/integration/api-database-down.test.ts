import { createServer, type Server } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import * as orgs from "../../app/api/fair-scheduler/orgs/route";
import * as projectRoute from "../../app/api/orgs/[orgId]/projects/[projectId]/route";
import * as events from "../../app/api/events/route";
import { closeDb } from "../../lib/db/client";
import { resetEnvCache } from "../../lib/core/env";
import { apiWorld, call } from "./helpers/api";
import { freePort } from "../support/free-port";

// With the database unreachable (down, restarting, failing over, or not answering) the API
// answers 503 with Retry-After, not 500: the request may well succeed in a moment, and
// clients, load balancers and browsers' event streams act on the difference.

const realUrl = process.env.DATABASE_URL!;

async function pointAt(port: number) {
  await closeDb();
  const url = new URL(realUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  process.env.DATABASE_URL = url.toString();
  resetEnvCache();
}

async function restore() {
  await closeDb();
  process.env.DATABASE_URL = realUrl;
  resetEnvCache();
}

async function world() {
  const w = await apiWorld(`db-down-${Math.random().toString(36).slice(2, 7)}`);
  const projectId = w.a.projectId;
  // Tokens checked while the database answered are cached: what fails below is the work itself.
  expect((await call(orgs.GET, "GET", "/api/fair-scheduler/orgs", { token: w.tokens.platformAdmin })).status).toBe(200);
  expect((await call(projectRoute.GET, "GET", `/api/orgs/${w.a.id}/projects/${projectId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId } })).status).toBe(200);
  return { w, projectId };
}

function expectUnavailable(reply: { status: number; json: unknown; headers: Headers }) {
  expect(reply.status, JSON.stringify(reply.json)).toBe(503);
  expect(reply.json).toMatchObject({ status: 503, code: "database_unavailable" });
  expect(reply.headers.get("retry-after")).toBe("5");
}

describe("the API while the database cannot be reached", () => {
  beforeEach(restore);
  afterAll(restore);

  it("answers 503 database_unavailable with Retry-After when connections are refused: reads, writes, the event stream", async () => {
    const { w, projectId } = await world();
    await pointAt(await freePort());

    expectUnavailable(await call(orgs.GET, "GET", "/api/fair-scheduler/orgs", { token: w.tokens.platformAdmin }));
    expectUnavailable(await call(projectRoute.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${projectId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId }, body: { maxConcurrentJobs: 3 } }));
    const stream = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    expect(stream.status).toBe(503);
  });

  // Its socket's error (ECONNRESET) reached the handler as the body's read error and was
  // taken for a database outage: a 503 and a warning that the database could not be reached.
  it("does not take a client hanging up mid-upload for a database outage", async () => {
    const { w, projectId } = await world();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"maxConcurrentJobs":'));
      },
      pull(controller) {
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const request = new Request(`http://localhost/api/orgs/${w.a.id}/projects/${projectId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${w.tokens.adminA}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const reply = await projectRoute.PATCH(request, { params: Promise.resolve({ orgId: w.a.id, projectId }) });
    expect(reply.status).toBe(400);
    expect(await reply.json()).toMatchObject({ code: "bad_request" });
  });

  it("answers 503 too, in bounded time, when the server accepts connections and never answers", async () => {
    const { w, projectId } = await world();
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      await pointAt((silent.address() as { port: number }).port);
      expectUnavailable(await call(projectRoute.PATCH, "PATCH", `/api/orgs/${w.a.id}/projects/${projectId}`, { token: w.tokens.adminA, params: { orgId: w.a.id, projectId }, body: { maxConcurrentJobs: 3 } }));
      expectUnavailable(await call(orgs.GET, "GET", "/api/fair-scheduler/orgs", { token: w.tokens.platformAdmin }));
    } finally {
      await closeDb();
      silent.close();
    }
  }, 60_000);
});
