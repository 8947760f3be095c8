import type pg from "pg";

/**
 * pool.end() resolves once it has asked each connection to close, not once they have: a
 * PostgreSQL stopped right after it (npm run dev's embedded one) then ends them itself, and
 * its "terminating connection" reaches the pool as an error. Each closed connection emits
 * "remove".
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  const allClosed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on("remove", () => {
      if (--open === 0) resolve();
    });
  });
  await pool.end();
  await allClosed;
}
