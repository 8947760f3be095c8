import { beforeAll, describe, expect, it } from "vitest";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import * as flowConcurrency from "../../app/api/flows/[flowId]/concurrency/route";
import * as flowSamples from "../../app/api/flows/[flowId]/samples/route";
import { env } from "../../lib/core/env";
import { claimExecutions } from "../../lib/dispatch/claim";
import { recordSamples } from "../../lib/samples/record-samples";
import { submitExecution } from "../../lib/dispatch/submit";
import { apiWorld, call } from "./helpers/api";
import { db, flow, worker } from "./helpers/fixtures";

/** What the flows screens read: the list's live counts, the concurrency tab's stuck flag, the chart's samples. */
type World = Awaited<ReturnType<typeof apiWorld>>;

describe("flow dashboard reads", () => {
  let w: World;
  let f: string;
  let running: string[];
  beforeAll(async () => {
    w = await apiWorld("flow-dash");
    f = await flow(w.a.id, w.a.projectId, { limit: 2 });
    for (let i = 0; i < 5; i++) await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, flowId: f });
    const claimed = await claimExecutions(db(), { workerId: await worker({ orgId: w.a.id }), limit: 5, orgId: w.a.id });
    running = claimed.claimed.map((c) => c.id);
  });

  it("lists each flow with the slots it holds and the executions it has queued", async () => {
    const idle = await flow(w.a.id, w.a.projectId);
    const res = await call(flows.GET, "GET", `/api/orgs/${w.a.id}/flows`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(res.status).toBe(200);
    const byId = new Map(res.json.map((x: { id: string }) => [x.id, x]));
    expect(byId.get(f)).toMatchObject({ concurrency: { limit: 2, behavior: "QUEUE" }, activeSlots: 2, queued: 3 });
    expect(byId.get(idle)).toMatchObject({ concurrency: { limit: null }, activeSlots: 0, queued: 0 });
  });

  it("flags a running execution as stuck once its heartbeat is older than half the lease, and says so", async () => {
    expect(running).toHaveLength(2);
    const ttl = env().LEASE_TTL_MS;
    await db().query("UPDATE execution SET heartbeat_at = now() - $2 * interval '1 millisecond' WHERE id = $1", [running[0], ttl / 2 + 1000]);
    const res = await call(flowConcurrency.GET, "GET", `/api/flows/${f}/concurrency`, { token: w.tokens.memberA, params: { flowId: f } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ orgId: w.a.id, projectId: w.a.projectId, activeSlots: 2, totalSlots: 2, queuedCount: 3, stuckAfterMs: ttl / 2 });
    const stuck = Object.fromEntries(res.json.running.map((e: { id: string; stuck: boolean }) => [e.id, e.stuck]));
    expect(stuck).toEqual({ [running[0]!]: true, [running[1]!]: false });
  });

  it("serves the flow's samples, averaged into buckets, and only to its org", async () => {
    const at = new Date();
    await recordSamples(db(), at);
    const res = await call(flowSamples.GET, "GET", `/api/flows/${f}/samples`, { token: w.tokens.memberA, params: { flowId: f } });
    expect(res.status).toBe(200);
    expect(res.json.flowId).toBe(f);
    expect(res.json.bucketSeconds).toBe(30);
    expect(res.json.points).toHaveLength(1);
    expect(res.json.points[0]).toMatchObject({ inFlight: 2, queued: 3 });

    const other = await call(flowSamples.GET, "GET", `/api/flows/${f}/samples`, { token: w.tokens.memberB, params: { flowId: f } });
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
  });

  it("clamps the window to what is kept and rejects a malformed since", async () => {
    const longAgo = new Date(Date.now() - 7 * 24 * 3_600_000).toISOString();
    const res = await call(flowSamples.GET, "GET", `/api/flows/${f}/samples?since=${encodeURIComponent(longAgo)}`, { token: w.tokens.memberA, params: { flowId: f } });
    expect(res.status).toBe(200);
    expect(Date.now() - Date.parse(res.json.since)).toBeLessThanOrEqual(env().SAMPLE_RETENTION_HOURS * 3_600_000 + 60_000);
    expect(res.json.points.length).toBeGreaterThan(0);
    const bad = await call(flowSamples.GET, "GET", `/api/flows/${f}/samples?since=yesterday`, { token: w.tokens.memberA, params: { flowId: f } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].field).toBe("query.since");
  });
});
