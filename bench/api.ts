// npm run bench:api — the HTTP API under load, against a production build served as
// `npm start` serves it (scripts/serve.ts in as many processes as `npm start` runs here, and
// in one for comparison) on its own database with 1,000 orgs: the single-org and the
// 1,000-org fair-scheduler reads at 100 concurrent connections (autocannon), and a worker
// claim/complete loop over HTTP. Side by side, in the same run: the floor, GET /api/health
// (no auth, one `SELECT 1`, the cheapest route there is — with 100 connections, latency is
// bounded by connections / throughput, Little's law, whatever the handler); the same reads
// through Next.js's own request pipeline (`next start`, what the production server calls the
// handlers around); and a bare node:http server doing health's work.
// Prints req/s and latency percentiles; the last line is one JSON object with every figure.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { endPool, trackConnections } from "../lib/db/end-pool";
import { migrate } from "../tooling/db/migrate";
import { benchServer, log, round } from "./harness";
import { createLane, insertOrg, insertRow, loadBacklog, type LaneSpec } from "./world";
import { hashToken } from "../lib/auth/tokens";
import { env } from "../lib/core/env";
import { availableParallelism } from "node:os";
import { defaultWebProcesses, startCluster, type AppCluster, type ProcessCommand } from "../lib/server/cluster";

const PORT = Number(process.env.BENCH_API_PORT ?? 3200);
const ORGS = 1_000;
const DURATION_S = Number(process.env.BENCH_API_SECONDS ?? 10);
// What `npm start` runs here (WEB_PROCESSES, default: one per core but one), and for
// comparison one process per core (or, where that is the same, one).
const PROCESSES = env().WEB_PROCESSES ?? defaultWebProcesses();
const OTHER_PROCESSES = availableParallelism() !== PROCESSES ? availableParallelism() : 1;
const base = `http://localhost:${PORT}`;

async function token(db: pg.Pool, kind: "PLATFORM_ADMIN" | "WORKER"): Promise<string> {
  const secret = `sw_bench_${kind.toLowerCase()}_${Math.random().toString(36).slice(2)}`;
  await db.query("INSERT INTO api_token (name, kind, prefix, hash) VALUES ($1, $2, $3, $4)", [`bench-${kind}`, kind, secret.slice(0, 10), hashToken(secret)]);
  return secret;
}

async function load(url: string, auth: string, seconds = DURATION_S) {
  const result = await autocannon({ url, connections: 100, duration: seconds, headers: { authorization: `Bearer ${auth}` } });
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx replies`);
  return { rps: round(result.requests.average, 0), p50: result.latency.p50, p99: result.latency.p99 };
}

async function claimCompleteLoop(auth: string, seconds: number, concurrency: number): Promise<number> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { workerId } = await post("/api/workers/register", { name: "bench", queues: [] });
  let done = 0;
  const end = Date.now() + seconds * 1000;
  let held: { id: string; leaseToken: number }[] = [];
  while (Date.now() < end) {
    const reply = await post("/api/workers/claim", { workerId, limit: concurrency, complete: held.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken, status: "SUCCESS" })) });
    done += reply.completed.filter((c: { ok: boolean }) => c.ok).length;
    held = reply.claimed;
  }
  return done / seconds;
}

interface RouteFigures {
  floor: Awaited<ReturnType<typeof load>>;
  single: Awaited<ReturnType<typeof load>>;
  list: Awaited<ReturnType<typeof load>>;
}

/** Next.js's own server, for comparison: every request through its request pipeline. */
const nextStart: ProcessCommand = { exec: createRequire(import.meta.url).resolve("next/dist/bin/next"), args: ["start", "--port", String(PORT)] };

/**
 * Starts the build in `processes` processes (as `npm start` does, or with `command`), measures
 * the three reads, and leaves it running.
 */
async function measureReads(label: string, processes: number, appEnv: NodeJS.ProcessEnv, admin: string, firstOrg: string, command?: ProcessCommand): Promise<{ figures: RouteFigures; app: AppCluster }> {
  const app = startCluster({ port: PORT, processes, env: appEnv, stdout: false, command });
  try {
    await app.ready; // every process, so none is left out of the measurement
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (i > 120) throw new Error("the app did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    // Warm up every route under load first (JIT, connection pools), so the first one measured is not penalised.
    const routes = { floor: `${base}/api/health`, single: `${base}/api/fair-scheduler/orgs/${firstOrg}`, list: `${base}/api/fair-scheduler/orgs` };
    for (const url of Object.values(routes)) await load(url, admin, 3);
    const tag = `${label}, ${processes} process${processes === 1 ? "" : "es"}`;
    log(`[${tag}] GET /api/health (the floor: no auth, SELECT 1), 100 connections, ${DURATION_S}s …`);
    const floor = await load(routes.floor, admin);
    log(`  ${floor.rps} req/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms`);
    log(`[${tag}] GET /api/fair-scheduler/orgs/{id}, 100 connections, ${DURATION_S}s …`);
    const single = await load(routes.single, admin);
    log(`  ${single.rps} req/s, p50 ${single.p50} ms, p99 ${single.p99} ms`);
    log(`[${tag}] GET /api/fair-scheduler/orgs (${ORGS} orgs), 100 connections, ${DURATION_S}s …`);
    const list = await load(routes.list, admin);
    log(`  ${list.rps} req/s, p50 ${list.p50} ms, p99 ${list.p99} ms`);
    return { figures: { floor, single, list }, app };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

/** The same work as GET /api/health on a bare node:http server, in `processes` processes: the floor without a framework. */
async function measureBareFloor(processes: number, appEnv: NodeJS.ProcessEnv): Promise<Awaited<ReturnType<typeof load>>> {
  const exec = fileURLToPath(new URL("./bare-health-server.mjs", import.meta.url));
  const bare = startCluster({ port: PORT, processes, env: appEnv, stdout: false, command: { exec, args: [String(PORT)] } });
  try {
    await bare.ready;
    await load(`${base}/`, "", 3);
    log(`[bare node:http, ${processes} process${processes === 1 ? "" : "es"}] same work as /api/health (no framework), 100 connections, ${DURATION_S}s …`);
    const figures = await load(`${base}/`, "");
    log(`  ${figures.rps} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms`);
    return figures;
  } finally {
    await bare.stop();
  }
}

async function main() {
  const server = await benchServer();
  const url = await server.databaseUrl("bench_api");
  await migrate(url);
  const db = trackConnections(new pg.Pool({ connectionString: url }));
  log(`seeding ${ORGS} orgs …`);
  let firstOrg = "";
  const lanes: { id: number; spec: LaneSpec }[] = [];
  for (let i = 0; i < ORGS; i++) {
    const orgId = await insertOrg(db, `org-${i}`, { weight: 1 + (i % 5), jobs: 1000 });
    firstOrg ||= orgId;
    if (i < 20) {
      const projectId = await insertRow(db, "INSERT INTO project (org_id, name) VALUES ($1, 'p')", [orgId]);
      const queueId = await insertRow(db, "INSERT INTO queue (org_id, name) VALUES ($1, 'default')", [orgId]);
      const spec: LaneSpec = { orgId, projectId, flowId: null, queueId, parentId: null, rootId: null, kind: "job", depth: 0 };
      lanes.push({ id: await createLane(db, spec), spec });
    }
  }
  await loadBacklog(db, lanes, lanes.map(() => 5_000));
  const admin = await token(db, "PLATFORM_ADMIN");
  const worker = await token(db, "WORKER");

  const appEnv = { ...process.env, DATABASE_URL: url, BETTER_AUTH_SECRET: "bench-only-secret-bench-only-secret-0000", LOG_LEVEL: "warn" };
  log("building the app (next build) …");
  const build = spawn(process.execPath, [nextStart.exec, "build"], { stdio: ["ignore", "ignore", "inherit"], env: appEnv });
  if ((await new Promise<number>((r) => build.once("exit", (c) => r(c ?? 1)))) !== 0) throw new Error("next build failed");
  let app: AppCluster | undefined;
  try {
    const bare = await measureBareFloor(PROCESSES, appEnv);
    const viaNext = await measureReads("next start", PROCESSES, appEnv, admin, firstOrg, nextStart);
    await viaNext.app.stop();
    // Another number of processes, for comparison, then what `npm start` runs on this machine.
    const other = await measureReads("npm start", OTHER_PROCESSES, appEnv, admin, firstOrg);
    await other.app.stop();
    const measured = await measureReads("npm start", PROCESSES, appEnv, admin, firstOrg);
    app = measured.app;
    const { floor, single, list } = measured.figures;
    log(`[npm start, ${PROCESSES} process${PROCESSES === 1 ? "" : "es"}] claim/complete over HTTP, worker concurrency 10 …`);
    const claimComplete = await claimCompleteLoop(worker, DURATION_S, 10);
    log(`  ${round(claimComplete, 0)} executions/s`);
    console.log(JSON.stringify({
      single_org_rps: single.rps, single_org_p50_ms: single.p50, single_org_p99_ms: single.p99,
      org_list_rps: list.rps, org_list_p50_ms: list.p50, org_list_p99_ms: list.p99,
      claim_complete_per_s: round(claimComplete, 0),
      floor_rps: floor.rps, floor_p50_ms: floor.p50, floor_p99_ms: floor.p99,
      single_org_rps_vs_floor: round(single.rps / floor.rps), org_list_rps_vs_floor: round(list.rps / floor.rps),
      bare_floor_rps: bare.rps, bare_floor_p99_ms: bare.p99, floor_rps_vs_bare: round(floor.rps / bare.rps),
      next_start_floor_rps: viaNext.figures.floor.rps, next_start_floor_p99_ms: viaNext.figures.floor.p99,
      next_start_single_org_rps: viaNext.figures.single.rps, next_start_single_org_p99_ms: viaNext.figures.single.p99,
      next_start_org_list_rps: viaNext.figures.list.rps, next_start_org_list_p99_ms: viaNext.figures.list.p99,
      single_org_rps_vs_next_start: round(single.rps / viaNext.figures.single.rps), org_list_rps_vs_next_start: round(list.rps / viaNext.figures.list.rps),
      processes: PROCESSES,
      other_processes: OTHER_PROCESSES,
      other_floor_rps: other.figures.floor.rps, other_floor_p99_ms: other.figures.floor.p99,
      other_single_org_rps: other.figures.single.rps, other_single_org_p99_ms: other.figures.single.p99,
      other_org_list_rps: other.figures.list.rps, other_org_list_p99_ms: other.figures.list.p99,
      orgs: ORGS, connections: 100, seconds: DURATION_S,
    }));
  } finally {
    await app?.stop();
    await endPool(db);
    await server.stop();
  }
}

await main();
