/**
 * Runs once when a Next.js server instance starts: refuses to start without the
 * configuration production needs, then every instance sweeps expired leases and records
 * concurrency samples (database locks keep several instances from doubling up).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./lib/log");
  const { authSecret } = await import("./lib/auth/secret");
  // Throws in production without BETTER_AUTH_SECRET; Next.js treats that as fatal and exits.
  authSecret();
  const { pool } = await import("./lib/db/client");
  const { startSweeper } = await import("./lib/scheduler/sweeper");
  startSweeper(pool(), { onError: (error) => log().warn({ err: error }, "sweeper run failed") });
}
