import { beforeEach, expect, it } from "vitest";
import * as workersRoute from "../../app/api/orgs/[orgId]/workers/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { releaseExecutions } from "../../lib/dispatch/release";
import { submitExecution } from "../../lib/dispatch/submit";
import { registerWorker } from "../../lib/workers/registry";
import { apiWorld, call } from "./helpers/api";
import { clearLiveWork, db, expireAllLeases, queue } from "./helpers/fixtures";

// The Workers tab's data (docs/operations.md, "Workers and queues"): who serves the org, what
// each holds against what it declared, and per queue what waits, since when, and who serves it.

beforeEach(clearLiveWork);

it("lists the org's workers with what they hold against their concurrency, and its queues with their backlog and servers", async () => {
  const w = await apiWorld("workers");
  await db().query("UPDATE worker SET last_seen_at = now() - interval '1 hour'");
  await queue(w.a.id, "nightly");
  const { id: busy } = await registerWorker(db(), { name: "busy-one", orgId: w.a.id, queues: ["default"], concurrency: 2 });
  const { id: gone } = await registerWorker(db(), { name: "gone-one", orgId: w.a.id, queues: ["nightly"] });
  await db().query("UPDATE worker SET last_seen_at = now() - interval '2 hours' WHERE id = $1", [gone]);
  await registerWorker(db(), { name: "other-org", orgId: w.b.id, queues: [] });
  for (let i = 0; i < 3; i++) await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
  await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "nightly" });
  expect((await claimExecutions(db(), { workerId: busy, limit: 2, orgId: w.a.id, queues: ["default"] })).claimed).toHaveLength(2);

  const res = await call(workersRoute.GET, "GET", `/api/orgs/${w.a.id}/workers`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
  expect(res.status).toBe(200);
  const byName = new Map<string, any>(res.json.workers.map((x: { name: string }) => [x.name, x])); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(byName.get("busy-one")).toMatchObject({ live: true, concurrency: 2, holding: 2, holdingAll: 2, queues: ["default"], leaseExpiries24h: 0 });
  expect(byName.get("busy-one").lastClaimAt).not.toBeNull();
  expect(byName.get("gone-one")).toMatchObject({ live: false, concurrency: null, holding: 0 });
  expect(byName.has("other-org")).toBe(false);
  const queues = new Map<string, any>(res.json.queues.map((q: { name: string }) => [q.name, q])); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(queues.get("default")).toMatchObject({ queued: 1, running: 2, workers: ["busy-one"] });
  expect(queues.get("default").oldestQueuedAt).not.toBeNull();
  expect(queues.get("nightly")).toMatchObject({ queued: 1, running: 0, workers: [] });

  // A lease that runs out is counted against the worker that held it.
  await expireAllLeases();
  await claimExecutions(db(), { workerId: busy, limit: 0 }); // a claim expires what ran out
  const after = await call(workersRoute.GET, "GET", `/api/orgs/${w.a.id}/workers`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
  expect(after.json.workers.find((x: { name: string }) => x.name === "busy-one")).toMatchObject({ holding: 0, leaseExpiries24h: 2 });
});

it("counts a queue's oldest wait from when its next execution became startable, as the queue-age alert does, not from its submission", async () => {
  const w = await apiWorld("workers-wait");
  const { id: wk } = await registerWorker(db(), { name: "releaser", orgId: w.a.id, queues: [] });
  const { id } = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
  await db().query("UPDATE execution SET created_at = now() - interval '1 hour' WHERE id = $1", [id]);
  const [claimed] = (await claimExecutions(db(), { workerId: wk, limit: 1, orgId: w.a.id })).claimed;
  await releaseExecutions(db(), { workerId: wk, leases: [{ executionId: id, leaseToken: claimed!.leaseToken }] });
  const res = await call(workersRoute.GET, "GET", `/api/orgs/${w.a.id}/workers`, { token: w.tokens.memberA, params: { orgId: w.a.id } });
  const since = Date.parse(res.json.queues.find((q: { name: string }) => q.name === "default").oldestQueuedAt);
  // Back in the queue a moment ago: it has waited seconds, not the hour since it was submitted.
  expect(Date.now() - since).toBeLessThan(60_000);
});
