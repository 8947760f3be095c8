import { once } from "node:events";
import type pg from "pg";

// pool.end() resolves once it has asked each connection to close, not once they have: a
// PostgreSQL stopped right after it (npm run dev's embedded one) then ends them itself, and
// its "terminating connection" reaches the pool as an error. So each connection the pool
// opens is tracked (by identity: pg-pool reports none for a connect that fails), and endPool
// waits for those still open to end — at most `timeoutMs`, so a server that never answers
// cannot hold up a shutdown.

const tracked = new WeakMap<pg.Pool, Set<pg.ClientBase>>();

/** Call right after creating a pool that endPool will end. */
export function trackConnections<P extends pg.Pool>(pool: P): P {
  const open = new Set<pg.ClientBase>();
  pool.on("connect", (client) => {
    open.add(client);
    client.once("end", () => open.delete(client));
  });
  tracked.set(pool, open);
  return pool;
}

export async function endPool(pool: pg.Pool, timeoutMs = 5_000): Promise<void> {
  await pool.end();
  const open = [...(tracked.get(pool) ?? [])];
  if (open.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(open.map((client) => once(client, "end"))),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}
