// `npm run worker -- --url http://localhost:3000 --token sw_… [options]`: the reference worker.
// Runs execution payloads ({ "sleepMs": 500 }, optionally pausing: { "sleepMs": 500, "pause": { "afterMs": 100, "forMs": 2000 } };
// or, only with --allow-command, { "command": "…" })
// with heartbeats; Ctrl-C / SIGTERM lets what it holds finish for --grace-ms, releases the
// rest back to the queue, and exits (a second Ctrl-C releases at once).

import { parseArgs } from "node:util";
import { ReferenceWorker } from "../lib/reference-worker/reference-worker";

const HELP = `Usage: npm run worker -- --url URL --token TOKEN [options]

  --url URL               Slotwise base URL (default http://localhost:3000, or SLOTWISE_URL)
  --token TOKEN           a worker token from \`npm run cli -- token create --worker\` (or SLOTWISE_WORKER_TOKEN)
  --name NAME             shown in the dashboard (default: worker-<pid>)
  --queue NAME            a queue to serve; repeat for several (default: every queue)
  --concurrency N         executions at once (default 4)
  --allow-command PREFIX  allow shell commands starting with PREFIX; repeat for several.
                          Without it, payloads with "command" fail: submitting work never
                          gives a tenant a shell on this machine.
  --timeout-ms N          default command timeout (default 600000)
  --heartbeat-ms N        heartbeat interval (default 5000; keep it well under the lease TTL)
  --grace-ms N            on SIGTERM / Ctrl-C: how long running executions may take to finish
                          before they are stopped and released back to the queue (default
                          10000; 0 releases at once; a second Ctrl-C releases at once)`;

const { values } = parseArgs({
  options: {
    url: { type: "string" }, token: { type: "string" }, name: { type: "string" }, queue: { type: "string", multiple: true },
    concurrency: { type: "string" }, "allow-command": { type: "string", multiple: true }, "timeout-ms": { type: "string" },
    "heartbeat-ms": { type: "string" }, "grace-ms": { type: "string" }, help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
// The worker is a separate program from the app: its settings come from flags, then its own
// two variables, not from the app's environment module.
const token = values.token ?? process.env.SLOTWISE_WORKER_TOKEN;
if (!token) {
  console.error("error: --token is required (or SLOTWISE_WORKER_TOKEN)\n\n" + HELP);
  process.exit(2);
}
const int = (v: string | undefined, fallback: number, name: string, min = 1) => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`error: --${name} must be a whole number ≥ ${min}`);
    process.exit(2);
  }
  return n;
};

const worker = new ReferenceWorker({
  baseUrl: (values.url ?? process.env.SLOTWISE_URL ?? "http://localhost:3000").replace(/\/$/, ""),
  token,
  name: values.name ?? `worker-${process.pid}`,
  queues: values.queue ?? [],
  concurrency: int(values.concurrency, 4, "concurrency"),
  allowedCommands: values["allow-command"] ?? [],
  defaultTimeoutMs: int(values["timeout-ms"], 600_000, "timeout-ms"),
  heartbeatMs: int(values["heartbeat-ms"], 5_000, "heartbeat-ms"),
  waitMs: 20_000,
  releaseAfterMs: int(values["grace-ms"], 10_000, "grace-ms", 0),
  log: (line) => console.log(`[worker] ${line}`),
});

await worker.start();
let stopping = false;
const shutdown = async () => {
  if (stopping) {
    console.log("[worker] releasing what is still running…");
    worker.releaseNow();
    return;
  }
  stopping = true;
  console.log("[worker] stopping: running executions get the grace period, then are released…");
  try {
    await worker.stop();
  } catch (error) {
    console.error(`[worker] could not report or release everything (leases run out and are retried): ${error}`);
    process.exit(1);
  }
  console.log("[worker] stopped");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
