/**
 * Runs once when a Next.js server instance starts: every instance sweeps expired leases and
 * records concurrency samples (database locks keep several instances from doubling up).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { pool } = await import("./lib/db/client");
  const { startSweeper } = await import("./lib/scheduler/sweeper");
  const { log } = await import("./lib/log");
  startSweeper(pool(), { onError: (error) => log().warn({ err: error }, "sweeper run failed") });
}
