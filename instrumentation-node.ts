/**
 * Server start on the Node.js runtime (instrumentation.ts imports this only there, so
 * Node-only APIs stay out of the edge compile).
 */
import { authSecret } from "./lib/auth/secret";
import { pool } from "./lib/db/client";
import { log } from "./lib/core/log";
import { startSweeper } from "./lib/dispatch/sweeper";

// A production server without its session secret refuses to start. Next.js would only log a
// failed instrumentation hook and keep listening, answering every request with an error.
try {
  authSecret();
} catch (error) {
  log().fatal({ err: error }, "refusing to start");
  process.exit(1);
}

// Every instance sweeps expired leases and records concurrency samples (database locks keep
// several instances from doubling up).
startSweeper(pool(), { onError: (error) => log().warn({ err: error }, "sweeper run failed") });
