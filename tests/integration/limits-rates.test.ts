import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/dispatch/claim";
import { explainExecution } from "../../lib/dispatch/explain-execution";
import { pauseExecution, resumeExecution } from "../../lib/dispatch/pause-resume";
import { submitExecution, type SubmitInput } from "../../lib/dispatch/submit";
import { claimWithWait } from "../../lib/workers/claim-with-wait";
import { claimBody } from "../../lib/workers/protocol";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { db, expireAllLeases, flow, keyRule, org, queue, rateLimit, worker } from "./helpers/fixtures";
import { rateWindowViolations, startsOf } from "./helpers/replay";

// Rate limits (docs/limits.md): at most `limit` starts in any window of `periodMs`, charged when
// an execution goes from QUEUED to RUNNING (a retry again, a resume not), checked here from the
// history of starts rather than from any counter; explain says when the next start is allowed,
// and a waiting claimer wakes at that moment.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function submitMany(n: number, input: SubmitInput): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await submitExecution(db(), { ...input, payload: { customerId: `c${i % 2}`, ...(input.payload as object) } })).id);
  return ids;
}

describe("rate limits", () => {
  it("no window of a flow's rate holds more starts than its limit, and the rate is used up to it", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await rateLimit("flow", etl, { limit: 3, periodMs: 400 });
    const ids = await submitMany(12, { orgId: acme.id, projectId: acme.projectId, flowId: etl });
    const w = await worker();
    const until = Date.now() + 1_300;
    while (Date.now() < until) {
      const { claimed } = await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id });
      await completeExecutions(db(), w, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
      await sleep(15);
    }
    const starts = await startsOf(ids);
    expect(rateWindowViolations(starts, 3, 400)).toEqual([]);
    // 1.3 s is more than three windows: at least 3 + 3 + 3 went (the fourth may be on its way).
    expect(starts.length).toBeGreaterThanOrEqual(9);
  });

  it("a retry is a start again, a resume is not; explain says when the next start is allowed", async () => {
    const acme = await org({ maxPausedSlots: 1 });
    await rateLimit("organization", acme.id, { limit: 2, periodMs: 60_000 });
    const [a, b, c] = await submitMany(3, { orgId: acme.id, projectId: acme.projectId });
    const w = await worker();
    expect((await claimExecutions(db(), { workerId: w, limit: 1, orgId: acme.id })).claimed.map((x) => x.id)).toEqual([a]);
    // Its lease ran out with attempts left: queued again, and its second start is charged too.
    await expireAllLeases();
    expect(await sweepOnce(db())).toMatchObject({ expired: 1 });
    const retried = (await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed;
    expect(retried.map((x) => x.id)).toEqual([a]);
    const reasons = await explainExecution(db(), b!, acme.id);
    expect(reasons[0]).toMatchObject({ code: "rate_limited", cap: "org_rate", limit: 2, periodMs: 60_000, starts: 2 });
    const firstStart = (await db().query<{ at: Date }>("SELECT min(at) AS at FROM execution_transition WHERE execution_id = $1 AND to_state = 'RUNNING'", [a])).rows[0]!.at;
    const next = new Date((reasons[0] as { nextStartAt: string }).nextStartAt).getTime();
    expect(Math.abs(next - (firstStart.getTime() + 60_000))).toBeLessThan(5);
    // Paused past the org's paused slots it gives its slot back; resumed, it is queued ahead of
    // new work and starts again although the rate is used up: a resume is not a start.
    await pauseExecution(db(), { executionId: a!, leaseToken: retried[0]!.leaseToken, workerId: w });
    expect((await resumeExecution(db(), { executionId: a!, by: { workerId: w } })).state).toBe("QUEUED");
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed.map((x) => x.id)).toEqual([a]);
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed).toEqual([]);
    // Raised: the next claim starts the rest at once.
    await rateLimit("organization", acme.id, { limit: 4, periodMs: 60_000 });
    expect((await claimExecutions(db(), { workerId: w, limit: 5, orgId: acme.id })).claimed.map((x) => x.id).sort()).toEqual([b, c].sort());
  });

  it("a claim of several starts is charged once, and each of its starts counts in every window it is in", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await rateLimit("organization", acme.id, { limit: 3, periodMs: 60_000 });
    await rateLimit("flow", etl, { limit: 5, periodMs: 30_000 });
    const [, , , d] = await submitMany(4, { orgId: acme.id, projectId: acme.projectId, flowId: etl });
    const w = await worker();
    const charges = async () => (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM rate_charge")).rows[0]!.n;
    const before = await charges();
    const { claimed } = await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id });
    expect(claimed).toHaveLength(3);
    expect(await charges()).toBe(before + 1);
    const started = (await db().query<{ at: Date }>("SELECT max(at) AS at FROM execution_transition WHERE execution_id = ANY($1) AND to_state = 'RUNNING'", [claimed.map((c) => c.id)])).rows[0]!.at;
    const reasons = await explainExecution(db(), d!, acme.id);
    expect(reasons[0]).toMatchObject({ code: "rate_limited", cap: "org_rate", limit: 3, starts: 3 });
    // All three leave the org's window together, so the next start is one period after the claim.
    expect(Math.abs(new Date((reasons[0] as { nextStartAt: string }).nextStartAt).getTime() - (started.getTime() + 60_000))).toBeLessThan(5);
    // Finished, they still count: a rate counts starts, not executions in flight.
    await completeExecutions(db(), w, claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" as const })));
    expect((await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id })).claimed).toEqual([]);
    expect(await charges()).toBe(before + 1); // a claim that starts nothing charges nothing
  });

  it("a waiting claimer wakes when the window lets the next start through, not at a poll interval", async () => {
    const acme = await org();
    const q = await queue(acme.id, `rated-${Math.random()}`);
    const name = (await db().query<{ name: string }>("SELECT name FROM queue WHERE id = $1", [q])).rows[0]!.name;
    await rateLimit("queue", q, { limit: 1, periodMs: 1_200 });
    await submitMany(2, { orgId: acme.id, projectId: acme.projectId, queue: name });
    const id = await worker({ orgId: acme.id });
    const owned = { id, orgId: acme.id, queues: [] };
    expect((await claimWithWait(owned, claimBody.parse({ workerId: id, limit: 5 }), new AbortController().signal)).claimed).toHaveLength(1);
    const started = Date.now();
    const reply = await claimWithWait(owned, claimBody.parse({ workerId: id, limit: 5, waitMs: 20_000 }), new AbortController().signal);
    const waited = Date.now() - started;
    expect(reply.claimed).toHaveLength(1);
    expect(waited).toBeGreaterThan(900);
    expect(waited).toBeLessThan(5_000);
  });

  it("a key rule's rate applies per key", async () => {
    const acme = await org();
    const etl = await flow(acme.id, acme.projectId);
    await keyRule(acme.id, { flowId: etl, path: "/customerId", limit: null, rate: { limit: 2, periodMs: 60_000 } });
    await submitMany(8, { orgId: acme.id, projectId: acme.projectId, flowId: etl });
    const w = await worker();
    const claimed = (await claimExecutions(db(), { workerId: w, limit: 10, orgId: acme.id })).claimed;
    const perKey = claimed.reduce<Record<string, number>>((m, c) => ({ ...m, [(c.payload as { customerId: string }).customerId]: (m[(c.payload as { customerId: string }).customerId] ?? 0) + 1 }), {});
    expect(perKey).toEqual({ c0: 2, c1: 2 });
  });
});
