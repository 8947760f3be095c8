import { describe, expect, it } from "vitest";
import * as executions from "../../app/api/executions/route";
import * as flowRoute from "../../app/api/orgs/[orgId]/flows/[flowId]/route";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { apiWorld, call } from "./helpers/api";
import { db, expireAllLeases, flow, org, worker } from "./helpers/fixtures";

// Retries with backoff (docs/lifecycle.md, "Retries"): a FAILED outcome with attempts left is
// queued again and waits outside its lane for its backoff; a lease expiry spends an attempt of
// the same budget; the history keeps every attempt's reason; explain says which retry and when.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setRetry(flowId: string, retry: { maxAttempts: number; initialMs: number; factor: number; maxMs: number; jitter?: number } | null) {
  await db().query(
    "UPDATE flow SET retry_max_attempts = $2, retry_initial_ms = $3, retry_factor = $4, retry_max_ms = $5, retry_jitter = $6 WHERE id = $1",
    [flowId, retry?.maxAttempts ?? null, retry?.initialMs ?? null, retry?.factor ?? null, retry?.maxMs ?? null, retry ? (retry.jitter ?? 0) : null],
  );
}

async function row(id: string) {
  return (await db().query<{ state: string; attempts: number; waiting: boolean; start_after: Date | null; finished_at: Date | null; reason: string | null; failed_at: Date }>(
    `SELECT state, attempts, waiting_lane_id IS NOT NULL AS waiting, start_after, finished_at, reason,
            (SELECT max(at) FROM execution_transition WHERE execution_id = e.id AND from_state = 'RUNNING') AS failed_at
       FROM execution e WHERE id = $1`,
    [id],
  )).rows[0]!;
}

/** Claims until `id` starts (or the deadline passes), failing everything else it gets. */
async function claimUntil(w: string, orgId: string, id: string, deadlineMs = 3_000) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 5, orgId });
    const mine = claimed.find((c) => c.id === id);
    if (mine) return { claim: mine, at: Date.now() };
    await sleep(10);
  }
  throw new Error(`${id} did not start within ${deadlineMs} ms`);
}

describe("retries with backoff", () => {
  it("a failed attempt waits its backoff (growing, capped), starts again, and fails for good on the last attempt", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await setRetry(etl, { maxAttempts: 3, initialMs: 150, factor: 3, maxMs: 300 });
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl });
    const w = await worker();
    let { claim } = await claimUntil(w, acme.id, id);
    expect(claim.attempt).toBe(1);
    await completeExecutions(db(), w, [{ executionId: id, leaseToken: claim.leaseToken, status: "FAILED", error: "boom 1" }]);
    let r = await row(id);
    expect(r).toMatchObject({ state: "QUEUED", attempts: 1, waiting: true, finished_at: null, reason: "boom 1" });
    expect(r.start_after!.getTime() - r.failed_at.getTime()).toBeCloseTo(150, -1); // initialMs
    const reasons = await explainExecution(db(), id, acme.id);
    expect(reasons[0]).toMatchObject({ code: "retry_backoff", attempt: 2, maxAttempts: 3, startAfter: r.start_after!.toISOString() });
    // Not before its backoff: an immediate claim gets nothing.
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed).toEqual([]);
    const second = await claimUntil(w, acme.id, id);
    claim = second.claim;
    expect(claim.attempt).toBe(2);
    expect(second.at).toBeGreaterThanOrEqual(r.start_after!.getTime() - 5);
    await completeExecutions(db(), w, [{ executionId: id, leaseToken: claim.leaseToken, status: "FAILED", error: "boom 2" }]);
    r = await row(id);
    expect(r.start_after!.getTime() - r.failed_at.getTime()).toBeCloseTo(300, -1); // 150 × 3 = 450, capped at maxMs
    ({ claim } = await claimUntil(w, acme.id, id));
    expect(claim.attempt).toBe(3);
    await completeExecutions(db(), w, [{ executionId: id, leaseToken: claim.leaseToken, status: "FAILED", error: "boom 3" }]);
    r = await row(id);
    expect(r).toMatchObject({ state: "FAILED", attempts: 3, waiting: false, reason: "boom 3" });
    expect(r.finished_at).not.toBeNull();
    const history = await db().query<{ to_state: string; reason: string | null }>(
      "SELECT to_state, reason FROM execution_transition WHERE execution_id = $1 AND from_state = 'RUNNING' ORDER BY id",
      [id],
    );
    expect(history.rows.map((h) => [h.to_state, h.reason?.replace(/retry at \S+/, "retry at T")])).toEqual([
      ["QUEUED", "attempt 1 of 3 failed: boom 1; retry at T"],
      ["QUEUED", "attempt 2 of 3 failed: boom 2; retry at T"],
      ["FAILED", "boom 3"],
    ]);
  });

  it("an outcome the worker marks not retryable, and a submission that turns retries off, fail at once", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await setRetry(etl, { maxAttempts: 5, initialMs: 10, factor: 1, maxMs: 10 });
    const a = (await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id;
    const b = (await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl, retry: null })).id;
    const w = await worker();
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id });
    expect(claimed.map((c) => c.id).sort()).toEqual([a, b].sort());
    const token = (id: string) => claimed.find((c) => c.id === id)!.leaseToken;
    await completeExecutions(db(), w, [
      { executionId: a, leaseToken: token(a), status: "FAILED", error: "bad input", retryable: false },
      { executionId: b, leaseToken: token(b), status: "FAILED", error: "boom" },
    ]);
    expect(await row(a)).toMatchObject({ state: "FAILED", attempts: 1, reason: "bad input" });
    expect(await row(b)).toMatchObject({ state: "FAILED", attempts: 1, reason: "boom" });
  });

  it("a submission's own policy applies without a flow, and a lease expiry spends an attempt and backs off too", async () => {
    const acme = await org();
    const retry = { maxAttempts: 2, backoff: { initialMs: 200, factor: 2, maxMs: 1_000 }, jitter: 0 };
    const { id } = await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, retry });
    const w = await worker();
    const { claim } = await claimUntil(w, acme.id, id);
    await expireAllLeases();
    await sweepOnce(db());
    const r = await row(id);
    expect(r).toMatchObject({ state: "QUEUED", attempts: 1, waiting: true });
    expect(r.start_after!.getTime() - r.failed_at.getTime()).toBeCloseTo(200, -1);
    const reason = (await db().query<{ reason: string }>("SELECT reason FROM execution_transition WHERE execution_id = $1 AND from_state = 'RUNNING'", [id])).rows[0]!.reason;
    expect(reason).toMatch(/^lease expired \(attempt 1 of 2\); retry at /);
    // The old lease cannot complete it any more; the second attempt is the last.
    expect((await completeExecutions(db(), w, [{ executionId: id, leaseToken: claim.leaseToken, status: "SUCCESS" }]))[0]!.ok).toBe(false);
    const second = await claimUntil(w, acme.id, id);
    expect(second.claim.attempt).toBe(2);
    await completeExecutions(db(), w, [{ executionId: id, leaseToken: second.claim.leaseToken, status: "FAILED" }]);
    expect(await row(id)).toMatchObject({ state: "FAILED", attempts: 2 });
  });

  it("jitter shortens each delay by up to its fraction, never lengthens it", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await setRetry(etl, { maxAttempts: 2, initialMs: 10_000, factor: 1, maxMs: 10_000, jitter: 0.5 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await submitExecution(db(), { orgId: acme.id, projectId: acme.projectId, flowId: etl })).id);
    const w = await worker();
    const claimed = [];
    while (claimed.length < ids.length) claimed.push(...(await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id })).claimed);
    await completeExecutions(db(), w, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "FAILED" as const })));
    const delays = await Promise.all(ids.map(async (id) => { const r = await row(id); return r.start_after!.getTime() - r.failed_at.getTime(); }));
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(5_000 - 1);
    for (const d of delays) expect(d).toBeLessThanOrEqual(10_000 + 1);
    expect(new Set(delays.map((d) => Math.round(d / 100))).size).toBeGreaterThan(1); // not all the same
  });

  it("refuses impossible policies through the API, naming the field; a flow's policy is shown back", async () => {
    const w = await apiWorld("retry-422");
    const a = w.a.id;
    const f = await flow(a, w.a.projectId);
    const patch = (retry: unknown) => call(flowRoute.PATCH, "PATCH", `/api/orgs/${a}/flows/${f}`, { token: w.tokens.adminA, params: { orgId: a, flowId: f }, body: { retry } });
    const cases: [unknown, string][] = [
      [{ maxAttempts: 0 }, "retry.maxAttempts"],
      [{ maxAttempts: 101 }, "retry.maxAttempts"],
      [{ maxAttempts: 3, backoff: { initialMs: 5_000, factor: 2, maxMs: 1_000 } }, "retry.backoff.maxMs"],
      [{ maxAttempts: 3, backoff: { initialMs: 100, factor: 0.5, maxMs: 1_000 } }, "retry.backoff.factor"],
      [{ maxAttempts: 3, backoff: { initialMs: -1, factor: 2, maxMs: 1_000 } }, "retry.backoff.initialMs"],
      [{ maxAttempts: 3, jitter: 1.5 }, "retry.jitter"],
      [{ maxAttempts: 3, tries: 2 }, "retry.tries"],
    ];
    for (const [retry, field] of cases) {
      const res = await patch(retry);
      expect([res.status, res.json.errors?.map((e: { field: string }) => e.field)], JSON.stringify(retry)).toEqual([422, [field]]);
    }
    expect((await db().query("SELECT retry_max_attempts FROM flow WHERE id = $1", [f])).rows[0].retry_max_attempts).toBeNull();
    const ok = await patch({ maxAttempts: 4 });
    expect([ok.status, ok.json.retry]).toEqual([200, { maxAttempts: 4, backoff: { initialMs: 1_000, factor: 2, maxMs: 600_000 }, jitter: 0 }]);
    expect((await patch(null)).json.retry).toBeNull();
    const submit = (extra: object) => call(executions.POST, "POST", "/api/executions", { token: w.tokens.memberA, body: { orgId: a, projectId: w.a.projectId, ...extra } });
    expect((await submit({ maxAttempts: 2, retry: { maxAttempts: 3 } })).json.errors).toEqual([expect.objectContaining({ field: "maxAttempts" })]);
    const made = await submit({ retry: { maxAttempts: 7, backoff: { initialMs: 50, factor: 1.5, maxMs: 500 }, jitter: 0.1 } });
    expect(made.status).toBe(201);
    const stored = (await db().query("SELECT max_attempts, retry_initial_ms, retry_factor, retry_max_ms, retry_jitter FROM execution WHERE id = $1", [made.json.id])).rows[0];
    expect(stored).toEqual({ max_attempts: 7, retry_initial_ms: 50, retry_factor: 1.5, retry_max_ms: 500, retry_jitter: 0.1 });
  });
});
