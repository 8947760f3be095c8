import { beforeAll, describe, expect, it } from "vitest";
import * as orgSamples from "../../app/api/fair-scheduler/orgs/[orgId]/samples/route";
import * as platformSamples from "../../app/api/fair-scheduler/samples/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { recordSamples } from "../../lib/samples/record-samples";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, org, worker } from "./helpers/fixtures";

// The chart reads: one org's in-flight and queued over time for its members, every org's
// in-flight for platform admins, both averaged into buckets of the sampler's rows.

type World = Awaited<ReturnType<typeof apiWorld>>;
let w: World;
let c: { id: string };
let sampledAt: [number, number];
const seconds = (n: number) => n * 1000;

async function run(orgId: string, projectId: string, submitted: number, claimed: number) {
  for (let i = 0; i < submitted; i++) await submitExecution(db(), { orgId, projectId });
  await claimExecutions(db(), { workerId: await worker(), limit: claimed, orgId });
}

beforeAll(async () => {
  w = await apiWorld("samples");
  // A: 1 running, 2 queued. B: nothing. C: 3 running.
  await run(w.a.id, w.a.projectId, 3, 1);
  const third = await org({ name: "C samples" });
  await run(third.id, third.projectId, 3, 3);
  c = third;
  // Two samples 10 s apart, 40 s and 30 s ago: both inside the default one-hour window.
  const now = Date.now();
  sampledAt = [now - seconds(40), now - seconds(30)];
  for (const at of sampledAt) await recordSamples(db(), new Date(at));
});

const orgUrl = (orgId: string, query = "") => `/api/fair-scheduler/orgs/${orgId}/samples${query}`;

describe("GET /api/fair-scheduler/orgs/{orgId}/samples", () => {
  it("gives a member their org's in-flight and queued, in buckets over the last hour by default", async () => {
    const res = await call(orgSamples.GET, "GET", orgUrl(w.a.id), { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(res.status).toBe(200);
    expect(res.json.bucketSeconds).toBe(30);
    expect(Date.now() - Date.parse(res.json.since)).toBeGreaterThanOrEqual(3_600_000);
    expect(res.json.points.length).toBeGreaterThanOrEqual(1);
    for (const p of res.json.points) expect(p).toEqual({ at: expect.any(String), inFlight: 1, queued: 2 });
  });

  it("narrows the window and the buckets with since", async () => {
    const since = new Date(sampledAt[0] - seconds(10)).toISOString();
    const res = await call(orgSamples.GET, "GET", orgUrl(w.a.id, `?since=${since}`), { token: w.tokens.adminA, params: { orgId: w.a.id } });
    expect(res.json.bucketSeconds).toBe(5);
    expect(res.json.since).toBe(since);
    expect(res.json.points).toHaveLength(2);
    const later = new Date(sampledAt[0] + seconds(5)).toISOString();
    const fewer = await call(orgSamples.GET, "GET", orgUrl(w.a.id, `?since=${later}`), { token: w.tokens.adminA, params: { orgId: w.a.id } });
    expect(fewer.json.points).toHaveLength(1);
  });

  it("never reaches back further than the samples are kept", async () => {
    const res = await call(orgSamples.GET, "GET", orgUrl(w.a.id, "?since=2000-01-01T00:00:00Z"), { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(res.status).toBe(200);
    expect(Date.now() - Date.parse(res.json.since)).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);
    expect(res.json.points.length).toBeGreaterThanOrEqual(1);
  });

  it("hides another org's samples from a tenant (404, as if it did not exist)", async () => {
    const res = await call(orgSamples.GET, "GET", orgUrl(w.a.id), { token: w.tokens.memberB, params: { orgId: w.a.id } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(res.json)).not.toContain('"points"');
  });

  it("answers 404 for an org that does not exist, and 422 naming the field for a bad since", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await call(orgSamples.GET, "GET", orgUrl(missing), { token: w.tokens.platformAdmin, params: { orgId: missing } })).status).toBe(404);
    const bad = await call(orgSamples.GET, "GET", orgUrl(w.a.id, "?since=yesterday"), { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].field).toBe("query.since");
    const unknown = await call(orgSamples.GET, "GET", orgUrl(w.a.id, "?top=3"), { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect([unknown.status, unknown.json.errors[0]]).toEqual([422, { field: "query.top", message: "unknown field" }]);
  });
});

describe("GET /api/fair-scheduler/samples", () => {
  it("names the orgs that ran something, busiest first, and leaves idle orgs out", async () => {
    const res = await call(platformSamples.GET, "GET", "/api/fair-scheduler/samples", { token: w.tokens.platformAdmin });
    expect(res.status).toBe(200);
    expect(res.json.series).toEqual([
      { organizationId: c.id, name: "C samples" },
      { organizationId: w.a.id, name: "A samples" },
    ]);
    expect(res.json.hasOther).toBe(false);
    const withData = res.json.points.filter((p: { inFlight: Record<string, number> }) => Object.keys(p.inFlight).length > 0);
    expect(withData.length).toBeGreaterThanOrEqual(1);
    for (const p of withData) expect(p).toEqual({ at: expect.any(String), inFlight: { [c.id]: 3, [w.a.id]: 1 }, other: 0 });
  });

  it("sums everyone past the top N as other", async () => {
    const res = await call(platformSamples.GET, "GET", "/api/fair-scheduler/samples?top=1", { token: w.tokens.platformAdmin });
    expect(res.json.series.map((s: { name: string }) => s.name)).toEqual(["C samples"]);
    expect(res.json.hasOther).toBe(true);
    const last = res.json.points.at(-1);
    expect(last).toEqual({ at: expect.any(String), inFlight: { [c.id]: 3 }, other: 1 });
  });

  it("is for platform admins only", async () => {
    for (const token of [w.tokens.memberA, w.tokens.adminA, w.tokens.workerA]) {
      expect((await call(platformSamples.GET, "GET", "/api/fair-scheduler/samples", { token })).status).toBe(403);
    }
    expect((await call(platformSamples.GET, "GET", "/api/fair-scheduler/samples?top=0", { token: w.tokens.platformAdmin })).status).toBe(422);
  });
});
