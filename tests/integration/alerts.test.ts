import { beforeEach, describe, expect, it } from "vitest";
import * as alertsRoute from "../../app/api/alerts/route";
import * as metricsRoute from "../../app/api/metrics/route";
import * as orgAlertsRoute from "../../app/api/orgs/[orgId]/alerts/route";
import * as limitsRoute from "../../app/api/orgs/[orgId]/limits/route";
import * as settingsRoute from "../../app/api/platform/settings/route";
import { claimExecutions } from "../../lib/dispatch/claim";
import { pauseExecution } from "../../lib/dispatch/pause-resume";
import { releaseExecutions } from "../../lib/dispatch/release";
import { submitExecution } from "../../lib/dispatch/submit";
import { registerWorker } from "../../lib/workers/registry";
import { apiWorld, call } from "./helpers/api";
import { clearLiveWork, db, queue } from "./helpers/fixtures";

// Alerts on queue age and stuck runs (docs/operations.md, "Alerts"), against the real database:
// what fires and what does not (scheduled and paused work waits on purpose), the org's own
// thresholds over the platform's, who may read them, the writes that set them, and the gauges.

const MIN = 60_000;
type World = Awaited<ReturnType<typeof apiWorld>>;

/** Moves an execution's past back by `ms`: submitted, started and every transition earlier, as if that much time had passed. */
async function age(executionId: string, ms: number) {
  await db().query("UPDATE execution SET created_at = created_at - $2 * interval '1 millisecond', started_at = started_at - $2 * interval '1 millisecond' WHERE id = $1", [executionId, ms]);
  await db().query("UPDATE execution_transition SET at = at - $2 * interval '1 millisecond' WHERE execution_id = $1", [executionId, ms]);
}

const orgAlerts = (w: World, orgId = w.a.id, token = w.tokens.memberA) => call(orgAlertsRoute.GET, "GET", `/api/orgs/${orgId}/alerts`, { token, params: { orgId } });
const setPlatform = (w: World, body: Record<string, unknown>) => call(settingsRoute.PUT, "PUT", "/api/platform/settings", { token: w.tokens.platformAdmin, body });
const setOrg = (w: World, body: Record<string, unknown>, orgId = w.a.id) => call(limitsRoute.PATCH, "PATCH", `/api/orgs/${orgId}/limits`, { token: w.tokens.adminA, params: { orgId }, body });

beforeEach(async () => {
  await clearLiveWork();
  await db().query("UPDATE platform_settings SET alert_queue_age_ms = 600000, alert_stuck_run_ms = 3600000; UPDATE organization SET alert_queue_age_ms = NULL, alert_stuck_run_ms = NULL");
});

describe("queue age", () => {
  it("fires for a queue whose oldest startable execution waited past the threshold, and says why it waits", async () => {
    const w = await apiWorld("queue-age");
    await queue(w.a.id, "slow");
    await queue(w.a.id, "fresh");
    const old = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "slow" });
    const older = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "slow" });
    const young = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "fresh" });
    await age(old.id, 11 * MIN);
    await age(older.id, 25 * MIN); // behind `old` in its lane (submit order): the lane's head is `old`
    await age(young.id, 9 * MIN);

    const res = await orgAlerts(w);
    expect(res.status).toBe(200);
    expect(res.json.thresholds).toEqual({ queue_age: { ms: 600_000, source: "platform" }, stuck_run: { ms: 3_600_000, source: "platform" } });
    expect(res.json.counts).toEqual({ queue_age: 1, stuck_run: 0 });
    const [alert] = res.json.alerts;
    expect(alert).toMatchObject({ id: expect.stringMatching(/^queue_age:/), kind: "queue_age", orgName: "A queue-age", queue: { name: "slow" }, execution: { id: old.id }, thresholdMs: 600_000, thresholdSource: "platform" });
    expect(alert.forMs).toBeGreaterThanOrEqual(11 * MIN);
    expect(alert.forMs).toBeLessThan(12 * MIN);
    // No worker serves the queue: that is why it waits, from the same reasons as the executions list.
    expect(alert.waitingFor).toMatchObject({ code: "no_worker", queue: "slow" });
    expect(alert.message).toMatch(/^Queue "slow": its oldest startable execution has waited 11 min \(alert after 10 min\)\. No live worker is claiming queue "slow"\.$/);
  });

  it("leaves out what waits on purpose: a delayed start, a paused execution", async () => {
    const w = await apiWorld("on-purpose");
    const delayed = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, delayMs: 24 * 60 * MIN });
    await age(delayed.id, 60 * MIN);
    const { id: workerId } = await registerWorker(db(), { name: "pauser", orgId: w.a.id, queues: [] });
    const paused = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    const [lease] = (await claimExecutions(db(), { workerId, limit: 1, orgId: w.a.id })).claimed;
    await pauseExecution(db(), { executionId: paused.id, leaseToken: lease!.leaseToken, workerId });
    await age(paused.id, 120 * MIN);
    expect((await orgAlerts(w)).json.counts).toEqual({ queue_age: 0, stuck_run: 0 });
  });

  it("measures from when it became startable: a delayed start from its start time, a released execution from its release", async () => {
    const w = await apiWorld("startable");
    for (const name of ["due", "released"]) await queue(w.a.id, name);
    const due = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "due", delayMs: 60 * MIN });
    await age(due.id, 120 * MIN);
    await db().query("UPDATE execution SET start_after = now() - interval '2 minutes' WHERE id = $1", [due.id]); // submitted two hours ago, due two minutes ago
    const { id: workerId } = await registerWorker(db(), { name: "releaser", orgId: w.a.id, queues: ["released"] });
    const released = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "released" });
    await claimExecutions(db(), { workerId, limit: 0, orgId: w.a.id }); // a claim moves what came due into its lane
    const [lease] = (await claimExecutions(db(), { workerId, limit: 1, orgId: w.a.id, queues: ["released"] })).claimed;
    await age(released.id, 90 * MIN);
    await releaseExecutions(db(), { workerId, orgId: w.a.id, leases: [{ executionId: released.id, leaseToken: lease!.leaseToken }] });
    expect((await db().query("SELECT lane_id IS NOT NULL AS in_lane FROM execution WHERE id = $1", [due.id])).rows[0].in_lane).toBe(true);
    expect((await orgAlerts(w)).json.alerts).toEqual([]);

    await setOrg(w, { alertQueueAgeMs: MIN });
    const fired = (await orgAlerts(w)).json.alerts;
    expect(fired.map((a: { queue: { name: string } }) => a.queue.name)).toEqual(["due"]);
    expect(fired[0].forMs).toBeGreaterThanOrEqual(2 * MIN);
    expect(fired[0].forMs).toBeLessThan(3 * MIN);
  });
});

describe("stuck runs", () => {
  it("fires for a run past the threshold, naming its worker, and not for a shorter one", async () => {
    const w = await apiWorld("stuck");
    const { id: workerId } = await registerWorker(db(), { name: "slowpoke", orgId: w.a.id, queues: [] });
    const long = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    const short = await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId });
    expect((await claimExecutions(db(), { workerId, limit: 2, orgId: w.a.id })).claimed).toHaveLength(2);
    await age(long.id, 61 * MIN);
    await age(short.id, 59 * MIN);
    const res = await orgAlerts(w);
    expect(res.json.counts).toEqual({ queue_age: 0, stuck_run: 1 });
    expect(res.json.alerts[0]).toMatchObject({ id: `stuck_run:${long.id}`, kind: "stuck_run", execution: { id: long.id }, worker: { id: workerId, name: "slowpoke" }, waitingFor: null, thresholdMs: 3_600_000 });
    expect(res.json.alerts[0].message).toBe(`Execution ${long.id.slice(0, 8)} has been running for 1 h 1 min on worker "slowpoke" (alert after 1 h).`);
  });
});

describe("thresholds", () => {
  it("an org's own threshold beats the platform's, for that org only; the platform's null turns a rule off", async () => {
    const w = await apiWorld("override");
    for (const o of [w.a, w.b]) await age((await submitExecution(db(), { orgId: o.id, projectId: o.projectId })).id, 5 * MIN);
    expect((await orgAlerts(w)).json.counts.queue_age).toBe(0);

    const patched = await setOrg(w, { alertQueueAgeMs: 2 * MIN });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ alertQueueAgeMs: 120_000, alertStuckRunMs: null, platformAlertQueueAgeMs: 600_000, platformAlertStuckRunMs: 3_600_000 });
    const mine = (await orgAlerts(w)).json;
    expect(mine.thresholds.queue_age).toEqual({ ms: 120_000, source: "org" });
    expect(mine.alerts).toHaveLength(1);
    expect(mine.alerts[0]).toMatchObject({ thresholdMs: 120_000, thresholdSource: "org" });
    expect((await orgAlerts(w, w.b.id, w.tokens.memberB)).json.counts.queue_age).toBe(0);

    // The platform's default off: org B has nothing, org A keeps its own.
    expect((await setPlatform(w, { alertQueueAgeMs: null })).json).toMatchObject({ alertQueueAgeMs: null });
    await setPlatform(w, { alertQueueAgeMs: MIN });
    expect((await orgAlerts(w, w.b.id, w.tokens.memberB)).json.counts.queue_age).toBe(1);
    await setPlatform(w, { alertQueueAgeMs: null });
    expect((await orgAlerts(w, w.b.id, w.tokens.memberB)).json).toMatchObject({ thresholds: { queue_age: { ms: null, source: "platform" } }, counts: { queue_age: 0 } });
    expect((await orgAlerts(w)).json.counts.queue_age).toBe(1);
  });

  it("refuses a threshold of 0, below 10 s or above a week with a 422 naming the field, and audits a change in its transaction", async () => {
    const w = await apiWorld("validate");
    for (const [body, field] of [[{ alertQueueAgeMs: 0 }, "alertQueueAgeMs"], [{ alertStuckRunMs: 5_000 }, "alertStuckRunMs"], [{ alertStuckRunMs: 8 * 24 * 60 * MIN }, "alertStuckRunMs"], [{ alertQueueAgeMs: 1.5 }, "alertQueueAgeMs"]] as const) {
      const org = await setOrg(w, body);
      expect(org.status).toBe(422);
      expect(org.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      const platform = await setPlatform(w, body);
      expect(platform.status).toBe(422);
      expect(platform.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    await setOrg(w, { alertStuckRunMs: 30 * MIN });
    await setPlatform(w, { alertQueueAgeMs: 20 * MIN });
    const { rows } = await db().query<{ action: string; entity_name: string; before: unknown; after: unknown }>(
      "SELECT action, entity_name, before, after FROM audit_event WHERE (org_id = $1 AND action = 'org.limits.update') OR action = 'platform.settings.update' ORDER BY id DESC LIMIT 2",
      [w.a.id],
    );
    expect(rows).toEqual([
      { action: "platform.settings.update", entity_name: "settings", before: { alertQueueAgeMs: 600_000 }, after: { alertQueueAgeMs: 1_200_000 } },
      { action: "org.limits.update", entity_name: "A validate", before: { alertStuckRunMs: null }, after: { alertStuckRunMs: 1_800_000 } },
    ]);
  });
});

describe("who reads alerts", () => {
  it("members read their org's (others get 404), platform admins every org's with the org's name", async () => {
    const w = await apiWorld("who");
    const { id: workerId } = await registerWorker(db(), { name: "who-worker", orgId: w.b.id, queues: [] });
    await age((await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId })).id, 30 * MIN);
    const running = await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId });
    await claimExecutions(db(), { workerId, limit: 1, orgId: w.b.id });
    await age(running.id, 90 * MIN);

    expect((await orgAlerts(w, w.a.id, w.tokens.memberB)).status).toBe(404);
    expect((await orgAlerts(w, w.a.id, w.tokens.workerA)).status).toBe(404);
    expect((await call(alertsRoute.GET, "GET", "/api/alerts", { token: w.tokens.adminA })).status).toBe(403);

    const all = await call(alertsRoute.GET, "GET", "/api/alerts", { token: w.tokens.platformAdmin });
    expect(all.status).toBe(200);
    expect(all.json.counts).toEqual({ queue_age: 1, stuck_run: 1 });
    expect(all.json.orgs).toEqual(expect.arrayContaining([
      { orgId: w.a.id, orgName: "A who", queue_age: 1, stuck_run: 0 },
      { orgId: w.b.id, orgName: "B who", queue_age: 0, stuck_run: 1 },
    ]));
    // Most overdue first, relative to the threshold: 30 of 10 min (3×) before 90 of 60 min (1.5×).
    expect(all.json.alerts.map((a: { kind: string; orgName: string }) => [a.kind, a.orgName])).toEqual([["queue_age", "A who"], ["stuck_run", "B who"]]);
  });
});

describe("metrics", () => {
  it("reports the firing alerts per kind and the longest startable waits per queue", async () => {
    const w = await apiWorld("gauges");
    for (const name of ["stale", "later"]) await queue(w.a.id, name);
    await age((await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, queue: "stale" })).id, 20 * MIN);
    await submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, delayMs: 60 * MIN, queue: "later" });
    const res = await call(metricsRoute.GET, "GET", "/api/metrics", { token: w.tokens.platformAdmin });
    expect(res.status).toBe(200);
    expect(res.text).toContain('slotwise_alerts_firing{kind="queue_age"} 1');
    expect(res.text).toContain('slotwise_alerts_firing{kind="stuck_run"} 0');
    const slug = (await db().query<{ slug: string }>("SELECT slug FROM organization WHERE id = $1", [w.a.id])).rows[0]!.slug;
    const wait = res.text.match(new RegExp(`slotwise_queue_oldest_wait_seconds\\{org="${slug}",queue="stale"\\} ([\\d.]+)`));
    expect(Number(wait?.[1])).toBeGreaterThanOrEqual(20 * 60);
    expect(Number(wait?.[1])).toBeLessThan(21 * 60);
    expect(res.text).not.toContain('queue="later"');
  });
});
