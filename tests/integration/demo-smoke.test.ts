import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../support/random";
import { prisma } from "../../lib/db/client";
import { startDemo } from "../../tooling/demo/run-demo";
import { DEMO_ORGS, seedDemo } from "../../tooling/demo/seed";
import { resetEnvCache } from "../../lib/core/env";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { db } from "./helpers/fixtures";
import { delayOneRelease, groupByExecution, historyErrors, installCommitOrder, loadCapScopes, loadTransitionsInCommitOrder, replay } from "./helpers/replay";
import { startWorkerApiServer, type WorkerApiServer } from "./helpers/worker-api-server";

// A smoke test of the demo: the living demo `npm run dev` starts (tooling/demo/run-demo.ts — the two
// demo workers over the worker API, one of them flaky, and the demo workload) runs against a
// freshly seeded database for a while; then the transition history, replayed in commit order,
// must show every seeded org's work dispatched, no cap exceeded at any point, and the pausing
// demo tasks paused and resumed.
//
// The lease is short (as an operator could set it) so the flaky worker's leases expire within
// the run. Two caps the demo data leaves open are tightened before the run, so they bind too: a
// global capacity below the demo workers' 10 slots, and a max concurrency on Gamma LLC (the
// weight-5 org, the only one whose fair share would exceed it).

const LEASE_TTL_MS = 2_000;
const RUN_MS = 15_000;
process.env.LEASE_TTL_MS = String(LEASE_TTL_MS);
resetEnvCache();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: WorkerApiServer | undefined;
afterAll(async () => {
  await server?.close();
});

describe("the living demo", () => {
  it("dispatches every seeded org's work and never exceeds a cap — judged from the history in commit order", async () => {
    const started = Date.now();
    const log = (line: string) => console.log(`[demo-smoke +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
    expect(await seedDemo(prisma())).toEqual({ seeded: true });
    await db().query("UPDATE platform_settings SET global_capacity = 6");
    await db().query("UPDATE organization SET max_concurrency = 3 WHERE slug = 'gamma'");
    await installCommitOrder();

    server = await startWorkerApiServer({ sweepEveryMs: 500 });
    const errors: string[] = [];
    const demo = await startDemo({
      db: db(),
      prisma: prisma(),
      baseUrl: server.url,
      leaseTtlMs: LEASE_TTL_MS,
      // This seed's bursts 4–6 are pausing tasks for Beta, Acme and Gamma: under the tight
      // caps below only the early submissions are sure to start within the run.
      workload: { perSecond: 4, random: seededRandom(20261194) },
      log: (line) => {
        if (/workload:|failed|stopping a demo worker/.test(line)) errors.push(line);
      },
    });
    log("demo running");
    await sleep(RUN_MS);
    await demo.stop();
    log("demo stopped");
    // Nothing that failed for good: a claim or heartbeat the workers had to give up on, a
    // submission that errored.
    expect(errors).toEqual([]);

    // Stopping left no slot held: the workers reported or released what they had (a lease a
    // stop cut off in flight, if any, runs out within the TTL and the sweeper reclaims it).
    for (let i = 0; i < 50; i++) {
      await sweepOnce(db());
      const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE holds_slot");
      if (rows[0]!.n === 0) break;
      await sleep(100);
    }
    expect((await db().query("SELECT id, state FROM execution WHERE holds_slot")).rows).toEqual([]);

    // ---------------------------------------------------------------------------- the verdict
    const { executions, scopes, limits, conflicts } = await loadCapScopes();
    expect(conflicts, "one cap per scope").toEqual([]);
    const { transitions, withoutCommitPosition } = await loadTransitionsInCommitOrder();
    expect(withoutCommitPosition).toEqual([]);
    const byExecution = groupByExecution(transitions);
    expect(byExecution.size).toBe(executions.length);
    const pathErrors = historyErrors(byExecution, new Map(executions.map((e) => [e.id, e.state])), { requireTerminal: false });
    expect(pathErrors, "broken execution histories").toEqual([]);

    // Every seeded org got executions dispatched.
    const orgIds = new Map((await db().query<{ id: string; slug: string }>("SELECT id, slug FROM organization")).rows.map((o) => [o.id, o.slug]));
    const orgOf = new Map(executions.map((e) => [e.id, orgIds.get(e.org_id)!]));
    const claims = transitions.filter((t) => t.from === "QUEUED" && t.to === "RUNNING");
    const claimsPerOrg = Object.fromEntries(DEMO_ORGS.map((o) => [o.slug, claims.filter((t) => orgOf.get(t.executionId) === o.slug).length]));
    log(`${executions.length} executions, ${claims.length} claims: ${JSON.stringify(claimsPerOrg)}`);
    for (const o of DEMO_ORGS) expect(claimsPerOrg[o.slug], o.slug).toBeGreaterThan(0);

    // No cap exceeded at any point: global, org, jobs / workflows / access requests, direct
    // pipeline, project, pool, flow, queue — every increase replayed in commit order.
    const verdict = replay(transitions, scopes, limits);
    expect(verdict.violations, "over-cap slot gains").toEqual([]);
    expect(verdict.gainsOutsideDispatch, "slot gains without a claim").toEqual([]);
    expect(verdict.stillHolding.size).toBe(0);
    const atCap = [...limits].filter(([scope, limit]) => verdict.maxSeen.get(scope) === limit).map(([scope]) => scope.split(":")[0]!);
    log(`${verdict.increases} slot gains replayed; ${limits.size} capped scopes; reached their cap: ${[...new Set(atCap)].join(", ")}`);
    // The verdict has teeth: the global cap was reached, and the same replay flags a history
    // in which one slot release is seen one claim too late.
    expect(atCap).toContain("global");
    const late = delayOneRelease(transitions, scopes, limits);
    expect(late, "a claim at a cap preceded by a release in that scope").not.toBeNull();
    expect(replay(late!, scopes, limits).violations.length).toBeGreaterThan(0);

    // The pausing demo tasks paused (the replay above counted the slots they kept as in
    // flight) and came back: resumed in their slot, or through dispatch when they gave it up.
    const count = (f: (t: (typeof transitions)[number]) => boolean) => transitions.filter(f).length;
    const pauses = count((t) => t.from === "RUNNING" && t.to === "PAUSED");
    expect(pauses, "executions paused").toBeGreaterThan(0);
    expect(count((t) => t.from === "PAUSED" && t.to === "QUEUED"), "paused executions resumed").toBeGreaterThan(0);

    // For the record: what the demo exercised.
    log(`exercised ${JSON.stringify({
      leaseExpiries: count((t) => /^lease expired/.test(t.reason ?? "")),
      released: count((t) => (t.reason ?? "").startsWith("released by its worker")),
      succeeded: count((t) => t.to === "SUCCESS"),
      failedByWorker: count((t) => t.from === "RUNNING" && t.to === "FAILED" && t.reason !== "lease expired"),
      refusedAtAdmission: count((t) => t.from === null && t.to !== "QUEUED"),
      paused: pauses,
      pausedSlotFreed: count((t) => t.from === "PAUSED" && t.to === "PAUSED" && !t.holdsSlot),
      resumedInSlot: count((t) => t.from === "PAUSED" && t.to === "QUEUED" && t.holdsSlot),
      resumedThroughDispatch: count((t) => t.from === "PAUSED" && t.to === "QUEUED" && !t.holdsSlot),
      nested: claims.filter((t) => executions.find((e) => e.id === t.executionId)!.depth > 0).length,
    })}`);
  }, 120_000);
});
