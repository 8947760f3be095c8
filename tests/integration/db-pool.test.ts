import pg from "pg";
import { describe, expect, it } from "vitest";
import { closeDb, pool } from "../../lib/db/client";
import { resetEnvCache } from "../../lib/core/env";

process.env.DATABASE_POOL_SIZE = "3";
resetEnvCache();

/**
 * The server may end an idle connection at any time (a restart, a failover,
 * pg_terminate_backend, idle_session_timeout). node-postgres reports that as an "error" event
 * on the pool, and an event nobody listens to is thrown: the app process would crash.
 */
describe("the shared pool", () => {
  it("opens at most DATABASE_POOL_SIZE connections", async () => {
    expect(pool().options.max).toBe(3);
    const held = await Promise.all([pool().connect(), pool().connect(), pool().connect()]);
    const fourth = pool().connect();
    const waited = await Promise.race([fourth.then(() => "got one"), new Promise((r) => setTimeout(() => r("waiting"), 300))]);
    expect(waited).toBe("waiting");
    for (const client of held) client.release();
    (await fourth).release();
  });

  it("survives the server ending one of its idle connections, and keeps answering", async () => {
    const client = await pool().connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    client.release(); // idle in the pool now

    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1, 5000)", [rows[0]!.pid]); // waits until it has gone
    await admin.end();
    for (let i = 0; i < 100 && pool().totalCount > 0; i++) await new Promise((r) => setTimeout(r, 20)); // the pool hears of it

    const after = await pool().query<{ one: number }>("SELECT 1 AS one");
    expect(after.rows[0]!.one).toBe(1);
  });

  // pool.end() resolves as soon as it has asked each connection to close, before the server
  // has let go of them: npm run dev then stopped its embedded PostgreSQL under them, and the
  // server's "terminating connection" reached the pool as an error (a CI run failed on it).
  it("closeDb returns once every connection has closed", async () => {
    const held = await Promise.all([pool().connect(), pool().connect(), pool().connect()]);
    const pids = await Promise.all(held.map(async (c) => (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid));
    for (const client of held) client.release();
    let closed = 0;
    pool().on("remove", () => closed++); // node-postgres: a client has closed and left the pool
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();

    await closeDb();

    expect(closed).toBe(3);
    const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE pid = ANY($1)", [pids]);
    await admin.end();
    expect(rows).toEqual([]);
  });
});
