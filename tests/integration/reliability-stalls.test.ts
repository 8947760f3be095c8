import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import * as claimRoute from "../../app/api/workers/claim/route";
import { closeDb, pool, prisma } from "../../lib/db/client";
import { subscribeChanges } from "../../lib/db/notifications";
import { resetEnvCache } from "../../lib/core/env";
import { claimExecutions } from "../../lib/dispatch/claim";
import { heartbeatExecutions } from "../../lib/dispatch/heartbeat";
import { completeExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { DISPATCH_BEGIN, DISPATCH_IDLE_MS, DISPATCH_LOCK_WAIT_MS } from "../../lib/dispatch/sql/transaction";
import { mintToken } from "../../lib/auth/tokens";
import { restartablePostgres, type RestartablePostgres } from "../support/restartable-postgres";
import { call } from "./helpers/api";
import { org, stateOf, worker } from "./helpers/fixtures";

// What operators hit in production (docs/dispatch.md "A frozen holder", docs/leases.md): a
// process that stops while it holds the dispatch lock must not stop dispatch everywhere; an
// outage of the database must not burn the leases of healthy workers; a PostgreSQL restart
// must not throw anything at the processes using it.

const realUrl = process.env.DATABASE_URL!;

async function pointAt(url: string) {
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
}

afterAll(() => pointAt(realUrl));

const since = (started: number) => Date.now() - started;

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  client.on("error", () => undefined); // it is ended under us on purpose
  await client.connect();
  return client;
}

describe("a frozen holder of the dispatch lock", () => {
  it("is cut off within seconds, and claims everywhere else carry on", async () => {
    const acme = await org();
    const w = await worker();
    const { id } = await submitExecution(pool(), { orgId: acme.id, projectId: acme.projectId });
    // Another instance begins a dispatch transaction and stops (SIGSTOP, a GC pause): its
    // connection is idle in the transaction, holding the lock.
    const frozen = await connect();
    await frozen.query(DISPATCH_BEGIN);

    const started = Date.now();
    const { claimed } = await claimExecutions(pool(), { workerId: w, limit: 1, orgId: acme.id });
    expect(claimed.map((c) => c.id)).toEqual([id]);
    expect(since(started)).toBeGreaterThanOrEqual(DISPATCH_IDLE_MS - 200);
    expect(since(started)).toBeLessThan(DISPATCH_IDLE_MS + 3_000);
    // When it resumes, its transaction is gone, and nothing it still sends can commit.
    await expect(frozen.query("SELECT 1")).rejects.toThrow();
    await frozen.end().catch(() => undefined);
  });

  it("a holder that keeps the lock busy makes waiting claims give up with 503 and Retry-After, not hang", async () => {
    const acme = await org();
    const workerToken = (await mintToken(prisma(), { kind: "WORKER", name: "busy-lock", orgId: acme.id })).token;
    const { rows } = await pool().query<{ id: string }>("INSERT INTO worker (name, org_id, queues, token_id) SELECT 'w', $1, '{}', id FROM api_token WHERE name = 'busy-lock' RETURNING id", [acme.id]);
    await submitExecution(pool(), { orgId: acme.id, projectId: acme.projectId });
    const busy = await connect();
    await busy.query(DISPATCH_BEGIN);
    // Not idle: a statement that runs on (a huge delete, say) is not cut by the idle bound.
    const sleeping = busy.query("SELECT pg_sleep(12)").catch(() => undefined);

    const started = Date.now();
    const reply = await call(claimRoute.POST, "POST", "/api/workers/claim", { token: workerToken, body: { workerId: rows[0]!.id, limit: 1, waitMs: 20_000 } });
    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ code: "dispatch_busy" });
    expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(since(started)).toBeLessThan(DISPATCH_LOCK_WAIT_MS + 3_000);

    await pool().query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(12)'");
    await sleeping;
    await busy.end();
  });
});

describe("an outage of the database", () => {
  let server: RestartablePostgres;
  afterAll(async () => {
    await pointAt(realUrl);
    await server?.destroy();
  });

  it("longer than the lease burns no attempt of a worker that heartbeats again; an abandoned lease still expires, in platform time", async () => {
    server = await restartablePostgres();
    await pointAt(server.url);
    const ttl = { leaseTtlMs: 3_000 };
    const acme = await org();
    const w = await worker();
    const kept = await submitExecution(pool(), { orgId: acme.id, projectId: acme.projectId });
    const abandoned = await submitExecution(pool(), { orgId: acme.id, projectId: acme.projectId });
    const { claimed } = await claimExecutions(pool(), { workerId: w, limit: 2, orgId: acme.id }, ttl);
    const token = new Map(claimed.map((c) => [c.id, c.leaseToken]));
    expect(token.size).toBe(2);

    await server.stop("fast");
    await new Promise((r) => setTimeout(r, 6_000)); // twice the lease
    await server.start();

    // The worker kept running it and heartbeats again as soon as it can.
    const [beat] = await heartbeatExecutions(pool(), w, [{ executionId: kept.id, leaseToken: token.get(kept.id)! }], ttl);
    expect(beat).toMatchObject({ ok: true });
    const [done] = await completeExecutions(pool(), w, [{ executionId: kept.id, leaseToken: token.get(kept.id)!, status: "SUCCESS" }]);
    expect(done).toEqual({ executionId: kept.id, ok: true });
    expect(await stateOf(kept.id)).toMatchObject({ state: "SUCCESS", attempts: 1 });

    // The other one's worker is gone: its lease runs out once the platform has run for the
    // rest of its TTL, not at once (the outage does not count), and not never.
    const back = Date.now();
    await sweepOnce(pool());
    expect((await stateOf(abandoned.id)).state).toBe("RUNNING");
    while ((await stateOf(abandoned.id)).state === "RUNNING") {
      expect(since(back)).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 200));
      await sweepOnce(pool());
    }
    expect(await stateOf(abandoned.id)).toMatchObject({ state: "QUEUED", attempts: 1 });
    const expiredAfter = since(back);
    expect(expiredAfter).toBeGreaterThan(300);
    const history = await pool().query("SELECT count(*)::int AS n FROM execution_transition WHERE execution_id = $1 AND reason LIKE 'lease expired%'", [kept.id]);
    expect(history.rows[0].n).toBe(0);
  }, 90_000);

  it("restarts, fast and immediate, under load: no uncaught exception, and everything recovers", async () => {
    server ??= await restartablePostgres();
    await pointAt(server.url);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    try {
      const acme = await org();
      const w = await worker();
      let lost = 0;
      const unsubscribe = await subscribeChanges({ change: () => undefined, lost: () => lost++ });
      let running = true;
      // Every kind of connection use at once: the dispatch path, Prisma, and long statements in flight.
      const load = (async () => {
        while (running) {
          await Promise.allSettled([
            submitExecution(pool(), { orgId: acme.id, projectId: acme.projectId }).then(() => claimExecutions(pool(), { workerId: w, limit: 5, orgId: acme.id })),
            prisma().organization.findMany({ take: 5 }),
            pool().query("SELECT pg_sleep(0.2)"),
          ]);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      for (const mode of ["fast", "immediate"] as const) {
        await new Promise((r) => setTimeout(r, 500));
        await server.stop(mode);
        await new Promise((r) => setTimeout(r, 500));
        await server.start();
        await waitFor(async () => (await pool().query("SELECT 1")).rowCount === 1);
      }
      running = false;
      await load;
      unsubscribe();
      expect(lost).toBeGreaterThanOrEqual(1);
      expect((await prisma().organization.count()) > 0).toBe(true);
      expect((await claimExecutions(pool(), { workerId: w, limit: 1, orgId: acme.id })).claimed.length).toBeGreaterThanOrEqual(0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  }, 90_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
