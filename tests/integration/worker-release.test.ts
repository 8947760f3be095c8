import { describe, expect, it } from "vitest";
import * as register from "../../app/api/workers/register/route";
import * as claim from "../../app/api/workers/claim/route";
import * as complete from "../../app/api/workers/complete/route";
import * as release from "../../app/api/workers/release/route";
import * as kill from "../../app/api/executions/[id]/kill/route";
import { reconcile } from "../../lib/dispatch/reconcile";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { apiWorld, call } from "./helpers/api";
import { db, expireAllLeases, inFlight, stateOf } from "./helpers/fixtures";

/** POST /api/workers/release: a worker hands executions back unfinished. */
type World = Awaited<ReturnType<typeof apiWorld>>;

async function registered(w: World, name = "w"): Promise<string> {
  return (await call(register.POST, "POST", "/api/workers/register", { token: w.tokens.workerA, body: { name, queues: [] } })).json.workerId;
}

async function claimOne(w: World, workerId: string): Promise<{ id: string; leaseToken: number; attempt: number }> {
  const res = await call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId, limit: 1 } });
  expect(res.json.claimed).toHaveLength(1);
  return res.json.claimed[0];
}

function releaseCall(w: World, workerId: string, leases: { executionId: string; leaseToken: number }[], reason?: string) {
  return call(release.POST, "POST", "/api/workers/release", { token: w.tokens.workerA, body: { workerId, leases, ...(reason ? { reason } : {}) } });
}

async function history(id: string) {
  const { rows } = await db().query<{ from_state: string; to_state: string; holds_slot: boolean; reason: string | null; worker_id: string | null }>(
    "SELECT from_state, to_state, holds_slot, reason, worker_id FROM execution_transition WHERE execution_id = $1 ORDER BY id",
    [id],
  );
  return rows;
}

const submit = (w: World, maxAttempts?: number) => submitExecution(db(), { orgId: w.a.id, projectId: w.a.projectId, maxAttempts }).then((r) => r.id);

describe("worker release", () => {
  it("the lease holder releases: QUEUED again at its old place, slot freed at once, no attempt spent, the history says why", async () => {
    const w = await apiWorld("release");
    const workerId = await registered(w);
    const first = await submit(w);
    const second = await submit(w);
    const lease = await claimOne(w, workerId);
    expect([lease.id, lease.attempt, await inFlight(w.a.id)]).toEqual([first, 1, 1]);

    const res = await releaseCall(w, workerId, [{ executionId: first, leaseToken: lease.leaseToken }], "draining");
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([{ executionId: first, ok: true, state: "QUEUED" }]);
    expect(await stateOf(first)).toMatchObject({ state: "QUEUED", holds_slot: false, attempts: 0 });
    expect(await inFlight(w.a.id)).toBe(0);
    expect((await history(first)).at(-1)).toEqual({ from_state: "RUNNING", to_state: "QUEUED", holds_slot: false, reason: "released by its worker: draining", worker_id: workerId });
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });

    // Its place: ahead of the execution submitted after it; the same attempt number again.
    const again = await claimOne(w, workerId);
    expect([again.id, again.attempt, again.leaseToken]).toEqual([first, 1, lease.leaseToken + 1]);
    expect(second).not.toBe(first);
  });

  it("refuses a stale lease token, a double release, another worker, a killed or another org's execution — and changes nothing", async () => {
    const w = await apiWorld("release-refused");
    const workerId = await registered(w);
    const other = await registered(w, "other");
    const id = await submit(w);
    const lease = await claimOne(w, workerId);

    const stale = await releaseCall(w, workerId, [{ executionId: id, leaseToken: lease.leaseToken - 1 }]);
    expect(stale.status).toBe(409);
    expect(stale.json.results).toEqual([{ executionId: id, ok: false, code: "lease_lost", state: "RUNNING" }]);
    const notHolder = await releaseCall(w, other, [{ executionId: id, leaseToken: lease.leaseToken }]);
    expect(notHolder.json.results).toEqual([{ executionId: id, ok: false, code: "lease_lost", state: "RUNNING" }]);
    expect(await stateOf(id)).toMatchObject({ state: "RUNNING", holds_slot: true, attempts: 1 });

    // Listed twice in one call, then again: released exactly once.
    const twice = await releaseCall(w, workerId, [{ executionId: id, leaseToken: lease.leaseToken }, { executionId: id, leaseToken: lease.leaseToken }]);
    expect(twice.status).toBe(200);
    expect(twice.json.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    expect(twice.json.results[1]).toMatchObject({ code: "lease_lost", state: "QUEUED" });
    const double = await releaseCall(w, workerId, [{ executionId: id, leaseToken: lease.leaseToken }]);
    expect(double.json.results).toEqual([{ executionId: id, ok: false, code: "lease_lost", state: "QUEUED" }]);
    expect((await history(id)).filter((t) => t.reason?.startsWith("released"))).toHaveLength(1);
    // The worker that released it cannot report an outcome for it any more.
    const late = await call(complete.POST, "POST", "/api/workers/complete", { token: w.tokens.workerA, body: { workerId, outcomes: [{ executionId: id, leaseToken: lease.leaseToken, status: "SUCCESS" }] } });
    expect(late.status).toBe(409);
    expect(late.json.results).toEqual([{ executionId: id, ok: false, code: "lease_lost", state: "QUEUED" }]);

    const next = await claimOne(w, workerId);
    await call(kill.POST, "POST", `/api/executions/${id}/kill`, { token: w.tokens.adminA, params: { id } });
    const killed = await releaseCall(w, workerId, [{ executionId: id, leaseToken: next.leaseToken }]);
    expect(killed.status).toBe(409);
    expect(killed.json).toMatchObject({ code: "killed" });
    expect(killed.json.results).toEqual([{ executionId: id, ok: false, code: "killed", state: "KILLED" }]);

    // A worker scoped to org A cannot even learn the state of org B's executions.
    const foreign = (await submitExecution(db(), { orgId: w.b.id, projectId: w.b.projectId })).id;
    const notFound = await releaseCall(w, workerId, [{ executionId: foreign, leaseToken: 0 }]);
    expect(notFound.json.results).toEqual([{ executionId: foreign, ok: false, code: "not_found", state: null }]);
    expect(await stateOf(foreign)).toMatchObject({ state: "QUEUED" });
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
  });

  it("releases never count toward MAX_ATTEMPTS; lease expiries do", async () => {
    const w = await apiWorld("release-attempts");
    const workerId = await registered(w);
    const id = await submit(w, 1);
    for (let i = 0; i < 3; i++) {
      const lease = await claimOne(w, workerId);
      expect(lease.attempt).toBe(1);
      expect((await releaseCall(w, workerId, [{ executionId: id, leaseToken: lease.leaseToken }])).json.results[0].ok).toBe(true);
    }
    await claimOne(w, workerId);
    await expireAllLeases();
    await sweepOnce(db());
    expect(await stateOf(id)).toMatchObject({ state: "FAILED", reason: "lease expired", attempts: 1, holds_slot: false });
  });

  it("wakes a claimer waiting for the slot it frees", async () => {
    const w = await apiWorld("release-wake");
    await db().query("UPDATE organization SET max_concurrency = 1 WHERE id = $1", [w.a.id]);
    const holder = await registered(w, "holder");
    const waiter = await registered(w, "waiter");
    const id = await submit(w);
    await submit(w);
    const lease = await claimOne(w, holder);

    // The org is at its cap: the second worker's long poll finds nothing and waits.
    const waiting = call(claim.POST, "POST", "/api/workers/claim", { token: w.tokens.workerA, body: { workerId: waiter, limit: 1, waitMs: 20_000 } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await releaseCall(w, holder, [{ executionId: id, leaseToken: lease.leaseToken }])).json.results[0].ok).toBe(true);
    const woke = await waiting;
    // Woken by the release (a wait that ran out would answer empty, with Retry-After), and
    // the released execution comes first: it kept its place.
    expect(woke.json.claimed.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(woke.headers.get("retry-after")).toBeNull();
  });
});
