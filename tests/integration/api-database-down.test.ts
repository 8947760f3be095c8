import { afterAll, describe, expect, it } from "vitest";
import * as orgs from "../../app/api/fair-scheduler/orgs/route";
import * as events from "../../app/api/events/route";
import { closeDb } from "../../lib/db/client";
import { resetEnvCache } from "../../lib/env";
import { apiWorld, call } from "./helpers/api";

/**
 * With the database unreachable (down, restarting, failing over) the API answers 503 with
 * Retry-After, not 500: the request may well succeed in a moment, and clients, load balancers
 * and browsers' event streams act on the difference.
 */
describe("the API while the database cannot be reached", () => {
  const realUrl = process.env.DATABASE_URL!;
  afterAll(async () => {
    await closeDb();
    process.env.DATABASE_URL = realUrl;
    resetEnvCache();
  });

  it("answers 503 database_unavailable with Retry-After, for reads and for the event stream", async () => {
    const w = await apiWorld("db-down");
    await closeDb();
    const down = new URL(realUrl);
    down.port = "1"; // nothing listens there
    process.env.DATABASE_URL = down.toString();
    resetEnvCache();

    const read = await call(orgs.GET, "GET", "/api/fair-scheduler/orgs", { token: w.tokens.platformAdmin });
    expect(read.status, JSON.stringify(read.json)).toBe(503);
    expect(read.json).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(read.headers.get("retry-after")).toBe("5");

    const stream = await events.GET(new Request("http://localhost/api/events", { headers: { authorization: `Bearer ${w.tokens.memberA}` } }));
    expect(stream.status).toBe(503);
  });
});
