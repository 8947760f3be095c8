// npm run bench:worker-soak — the reference worker (`npm run worker`, as a process of its own)
// against an API-only Slotwise (scripts/serve.ts, SLOTWISE_ROLE=api) for SOAK_MINUTES (default
// 60), with a steady stream of short executions — some failing, some pausing — and its resident
// memory read every 10 s from /proc. A leak shows as a rising floor: each window's lowest RSS
// (after the garbage collector ran) is what the worker really holds. Prints a line per window
// and, last, one JSON object: the windows, the executions finished, and the slope of the
// floors over the second half (MB per hour). No threshold: read the slope.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { hashToken } from "../lib/auth/tokens";
import { endPool, trackConnections } from "../lib/db/end-pool";
import { appServerCommand, startCluster } from "../lib/server/cluster";
import { migrate } from "../tooling/db/migrate";
import { benchServer, log, round } from "./harness";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const PORT = Number(process.env.BENCH_SOAK_PORT ?? 3210);
const WINDOW_MS = Number(process.env.SOAK_WINDOW_MS ?? 60_000);
const SAMPLE_MS = 10_000;
const QUEUED_TARGET = 40;

async function rssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main() {
  const server = await benchServer();
  const url = await server.databaseUrl("bench_worker_soak");
  await migrate(url);
  const db = trackConnections(new pg.Pool({ connectionString: url, max: 4 }));
  const org = (await db.query<{ id: string }>("INSERT INTO organization (name, slug, jobs) VALUES ('soak', 'soak', 100) RETURNING id")).rows[0]!.id;
  const project = (await db.query<{ id: string }>("INSERT INTO project (org_id, name) VALUES ($1, 'soak') RETURNING id", [org])).rows[0]!.id;
  const queue = (await db.query<{ id: string }>("INSERT INTO queue (org_id, name) VALUES ($1, 'default') RETURNING id", [org])).rows[0]!.id;
  const token = `sw_soak_${Math.random().toString(36).slice(2)}`;
  await db.query("INSERT INTO api_token (name, kind, prefix, hash) VALUES ('soak', 'WORKER', $1, $2)", [token.slice(0, 10), hashToken(token)]);

  const app = startCluster({ port: PORT, processes: 1, stdout: false, command: appServerCommand(PORT), env: { ...process.env, DATABASE_URL: url, SLOTWISE_ROLE: "api", LOG_LEVEL: "warn", BETTER_AUTH_SECRET: "bench-only-secret-bench-only-secret-0000" } });
  await app.ready;
  const require = createRequire(import.meta.url);
  const worker = spawn(
    process.execPath,
    ["--import", pathToFileURL(require.resolve("tsx/esm")).href, fileURLToPath(new URL("../scripts/worker.ts", import.meta.url)),
     "--url", `http://localhost:${PORT}`, "--token", token, "--concurrency", "8", "--heartbeat-ms", "1000", "--name", "soak"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const pid = worker.pid!;
  log(`soak: the reference worker (pid ${pid}) for ${MINUTES} min, ~${QUEUED_TARGET} queued at all times`);

  // Keep work queued: mostly short successes, some failures, some that pause and resume.
  let submitted = 0;
  const submit = setInterval(() => {
    void (async () => {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE state = 'QUEUED'");
      const missing = QUEUED_TARGET - rows[0]!.n;
      for (let i = 0; i < missing; i++) {
        submitted++;
        const payload = submitted % 20 === 0 ? { sleepMs: 200, pause: { afterMs: 50, forMs: 300 } } : submitted % 10 === 0 ? { sleepMs: 20, fail: true } : { sleepMs: 10 + (submitted % 90) };
        const lane = await db.query<{ id: number }>(
          `INSERT INTO dispatch_lane (key, org_id, project_id, queue_id, kind, queued) VALUES ($1, $2, $3, $4, 'job', 1)
           ON CONFLICT (key) DO UPDATE SET queued = dispatch_lane.queued + 1 RETURNING id`,
          [`${org}:${project}:-:${queue}:-:job`, org, project, queue],
        );
        await db.query("INSERT INTO execution (org_id, project_id, queue_id, kind, lane_id, payload) VALUES ($1, $2, $3, 'job', $4, $5)", [org, project, queue, lane.rows[0]!.id, JSON.stringify(payload)]);
      }
      await db.query("SELECT pg_notify('slotwise_dispatch', '')");
    })().catch((error: unknown) => log(`submit: ${String(error)}`));
  }, 200);

  const windows: { minute: number; minMb: number; maxMb: number }[] = [];
  let current: number[] = [];
  const started = Date.now();
  let windowStart = started;
  while (Date.now() - started < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const mb = await rssMb(pid);
    if (mb === null) throw new Error("the worker exited");
    current.push(mb);
    if (Date.now() - windowStart >= WINDOW_MS) {
      const w = { minute: round((Date.now() - started) / 60_000, 1), minMb: round(Math.min(...current), 1), maxMb: round(Math.max(...current), 1) };
      windows.push(w);
      log(`  ${w.minute} min: RSS ${w.minMb}–${w.maxMb} MB`);
      current = [];
      windowStart = Date.now();
    }
  }
  clearInterval(submit);
  const done = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE state IN ('SUCCESS', 'FAILED')")).rows[0]!.n;
  const secondHalf = windows.slice(Math.floor(windows.length / 2)).map((w) => [w.minute / 60, w.minMb] as [number, number]);
  const floorSlope = round(slope(secondHalf), 2);
  log(`finished ${done} executions; floor of RSS over the second half: ${floorSlope} MB per hour`);
  worker.kill("SIGTERM");
  await new Promise((r) => worker.once("exit", r));
  await app.stop();
  await endPool(db);
  await server.stop();
  console.log(JSON.stringify({ minutes: MINUTES, executions: done, first_window_min_mb: windows[0]?.minMb, last_window_min_mb: windows.at(-1)?.minMb, floor_slope_mb_per_hour: floorSlope, windows }));
}

await main();
