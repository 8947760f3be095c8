import pg from "pg";
import { describe, expect, it } from "vitest";
import { endPool, trackConnections } from "./end-pool";

describe("endPool", () => {
  // A connect in progress counts in pool.totalCount, but pg-pool drops it without a "remove"
  // when it fails: waiting for one "remove" per counted connection then never ended.
  it("returns when a connection attempt fails while it waits", async () => {
    const pool = trackConnections(new pg.Pool({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 2_000 }));
    const failing = pool.query("SELECT 1").catch((error: Error) => error);
    const ended = endPool(pool);
    expect(await failing).toBeInstanceOf(Error);
    expect(await Promise.race([ended.then(() => "ended"), new Promise((r) => setTimeout(() => r("still waiting"), 3_000))])).toBe("ended");
  });
});
