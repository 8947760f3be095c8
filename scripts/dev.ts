// `npm run dev` — starts everything: PostgreSQL (embedded unless DATABASE_URL is set),
// migrations, demo data on an empty database, the app on http://localhost:3000, two demo
// workers and a demo workload (`--no-demo` leaves the last two out).
// `npm start` does the same with a production build, which it builds first, served by
// WEB_PROCESSES processes of the same server on one port (scripts/serve.ts,
// lib/server/cluster.ts). Ctrl-C stops all of it.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { closeDb, prisma } from "../lib/db/client";
import { takeOverShutdownSignals } from "../tooling/db/embedded";
import { provideDatabase } from "../tooling/db/provide";
import { DEMO_LOGINS, seedDemo } from "../tooling/demo/seed";
import { env, resetEnvCache } from "../lib/core/env";
import { appServerCommand, defaultWebProcesses, startCluster, type AppCluster } from "../lib/server/cluster";

const production = process.argv.includes("--production");
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const say = (line: string) => console.log(`[slotwise] ${line}`);

const db = await provideDatabase(say);
process.env.DATABASE_URL = db.url;
resetEnvCache();
const { seeded } = await seedDemo(prisma());
if (seeded) say("seeded the demo organizations and users");
await closeDb();

const children: ChildProcess[] = [];
const run = (args: string[]) => {
  const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: { ...process.env, DATABASE_URL: db.url } });
  children.push(child);
  return child;
};

/** The app's processes, once started. */
const app: { web?: AppCluster } = {};
let demo: { stop(): Promise<void> } | undefined;
let stopping = false;
let hurry: () => void = () => undefined;
async function stop(code = 0) {
  if (stopping) return hurry();
  stopping = true;
  say("stopping… (again to skip waiting for the demo)");
  // The demo first, while the app still answers its workers' last reports (when the signal
  // came to this script alone; a terminal's Ctrl-C reaches the app at the same moment). Not
  // for ever: a hung app must not keep the rest running.
  const hurried = new Promise<void>((resolve) => (hurry = resolve));
  await Promise.race([demo?.stop().catch((error) => say(`stopping the demo: ${error}`)), hurried, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  await Promise.all([
    app.web?.stop(),
    ...children.filter((c) => c.exitCode === null).map((c) => new Promise((resolve) => { c.once("exit", resolve); c.kill("SIGTERM"); })),
  ]);
  await closeDb().catch(() => undefined); // the demo's connections, before their server goes
  await db.stop();
  process.exit(code);
}
// Never remove other listeners: run through tsx's CLI (rather than `node --import tsx`, as the
// npm scripts do), tsx keeps one of its own to learn that we handle the signal, and SIGKILLs us
// (stranding PostgreSQL and Next.js) without it.
takeOverShutdownSignals();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop());

const port = String(env().PORT);
// A production build refuses to run without a session secret; for this local start, make
// one and keep it (git-ignored) so sessions survive restarts.
if (production && !env().BETTER_AUTH_SECRET) {
  const file = path.join(env().SLOTWISE_DATA_DIR, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.BETTER_AUTH_SECRET = readFileSync(file, "utf8").trim();
}
// An API-only instance (SLOTWISE_ROLE=api) serves no pages: nothing to build.
if (production && env().SLOTWISE_ROLE !== "api") {
  const build = run(["build"]);
  const code: number = await new Promise((resolve) => build.once("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) await stop(code);
}
// The same server in both (lib/server/server.ts): development mode in one process, or the
// production build in WEB_PROCESSES processes sharing the port.
const processes = production ? (env().WEB_PROCESSES ?? defaultWebProcesses()) : 1;
if (production) say(`starting ${processes} app process${processes === 1 ? "" : "es"} (WEB_PROCESSES)`);
app.web = startCluster({ port: Number(port), processes, env: { ...process.env, DATABASE_URL: db.url }, command: appServerCommand(Number(port), !production) });
void app.web.exited.then((code) => stop(code));

// Tell people where to go once the app answers.
for (let i = 0; i < 240 && !stopping; i++) {
  try {
    const res = await fetch(`http://localhost:${port}/api/health`);
    if (res.ok) break;
  } catch {
    // not up yet
  }
  await new Promise((r) => setTimeout(r, 500));
}
say(`Slotwise is running at http://localhost:${port}`);
if (!process.argv.includes("--no-demo")) {
  try {
    await runDemo();
  } catch (error) {
    say(`the demo could not start: ${error}`);
    await stop(1);
  }
}
// The logins last, and again on Enter: whatever the app logs afterwards cannot bury them.
const sayLogins = () => {
  say(`Slotwise is running at http://localhost:${port} — demo logins (password for all: slotwise-demo):`);
  for (const l of DEMO_LOGINS) say(`  ${l.email.padEnd(22)} ${l.role}`);
  if (process.stdin.isTTY) say("press Enter to show these again");
};
sayLogins();
if (process.stdin.isTTY) {
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", () => sayLogins());
}

/** The demo workers and workload (tooling/demo/run-demo.ts), in this process; Ctrl-C stops them first. */
async function runDemo() {
  const { pool } = await import("../lib/db/client");
  const { startDemo } = await import("../tooling/demo/run-demo");
  demo = await startDemo({
    db: pool(),
    prisma: prisma(),
    baseUrl: `http://localhost:${port}`,
    leaseTtlMs: env().LEASE_TTL_MS,
    log: say,
    // The demo workers' routine lines (a pause, the flaky one's lost leases) only at debug:
    // at info they scrolled the logins away within seconds.
    workerLog: ["debug", "trace"].includes(env().LOG_LEVEL) ? say : () => undefined,
  });
  say("demo workers and workload are running (start with --no-demo to leave them out)");
}
