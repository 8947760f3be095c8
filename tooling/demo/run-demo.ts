import { mintToken } from "../../lib/auth/tokens";
import type { PrismaClient } from "../../lib/db/client";
import type { Db } from "../../lib/db/transaction";
import { ReferenceWorker } from "../../lib/reference-worker/reference-worker";
import { startDemoWorkload } from "./workload";

// The living demo `npm run dev` starts next to the app (and tests/integration/demo-smoke
// runs as it is): two reference workers talking to the app over its worker API — a steady
// one, and a flaky one whose heartbeats come slower than the lease, so its long executions
// get stuck, expire and are retried — and the demo workload submitting to the seeded orgs.

export interface DemoOptions {
  db: Db;
  prisma: PrismaClient;
  /** Where the app serves the worker API. */
  baseUrl: string;
  /** The app's LEASE_TTL_MS: the flaky worker heartbeats at twice that, the steady one well within it. */
  leaseTtlMs: number;
  workload?: { perSecond?: number; maxQueued?: number; random?: () => number };
  fetch?: typeof fetch;
  log: (line: string) => void;
  /** The demo workers' own lines (pauses, lost leases: routine in the demo); `log` when absent. */
  workerLog?: (line: string) => void;
}

export const DEMO_WORKERS = [
  { name: "demo-worker", concurrency: 8, flaky: false },
  { name: "demo-flaky-worker", concurrency: 2, flaky: true },
] as const;

export async function startDemo(options: DemoOptions): Promise<{ stop: () => Promise<void> }> {
  const workers = await Promise.all(
    DEMO_WORKERS.map(async (w) => {
      const { token } = await mintToken(options.prisma, { kind: "WORKER", name: w.name });
      const worker = new ReferenceWorker({
        name: w.name,
        concurrency: w.concurrency,
        heartbeatMs: w.flaky ? options.leaseTtlMs * 2 : Math.min(5_000, Math.floor(options.leaseTtlMs / 3)),
        baseUrl: options.baseUrl,
        token,
        queues: [],
        allowedCommands: [],
        defaultTimeoutMs: 60_000,
        waitMs: 20_000,
        // Ctrl-C should not wait for long demo runs: what is still running after 2 s goes back to the queue.
        releaseAfterMs: 2_000,
        fetch: options.fetch,
        log: (line) => (options.workerLog ?? options.log)(`${w.name}: ${line}`),
      });
      await worker.start();
      return worker;
    }),
  );
  const stopWorkload = await startDemoWorkload(options.db, {
    perSecond: options.workload?.perSecond ?? 2,
    maxQueued: options.workload?.maxQueued ?? 60,
    random: options.workload?.random,
    onError: (e) => options.log(`demo workload: ${e}`),
  });
  return {
    stop: async () => {
      await stopWorkload();
      await Promise.all(workers.map((w) => w.stop().catch((e) => options.log(`stopping a demo worker: ${e}`))));
    },
  };
}
