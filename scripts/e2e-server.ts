// The app as the end-to-end tests see it (Playwright's webServer starts and stops this):
// a database of its own, dropped, migrated and seeded with the demo data on every run, and
// the app on E2E_PORT (3100) — the server `npm run dev` runs, or with E2E_PROD=1 the one
// `npm start` runs (scripts/serve.ts, after a build).
//
// Without DATABASE_URL the database is `slotwise_e2e` on an embedded PostgreSQL
// (.slotwise/e2e-pgdata, port 54349). With DATABASE_URL it is `<its database>_e2e` on that
// server, which must be local: this script drops databases.
//
// It also mints a worker token (for every org) into e2e/.auth/worker-token: no workers run
// during the tests, so a test that needs executions to run claims them itself over HTTP.

import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { closeDb, prisma } from "../lib/db/client";
import { startEmbeddedPostgres, takeOverShutdownSignals } from "../tooling/db/embedded";
import { mintToken } from "../lib/auth/tokens";
import { migrate } from "../tooling/db/migrate";
import { seedDemo } from "../tooling/demo/seed";
import { resetEnvCache } from "../lib/core/env";
import { appServerCommand } from "../lib/server/cluster";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const port = process.env.E2E_PORT ?? "3100";
const say = (line: string) => console.log(`[e2e-server] ${line}`);

let serverUrl: URL;
let database = "slotwise_e2e";
let stopDb = async () => undefined as void;
if (process.env.DATABASE_URL) {
  serverUrl = new URL(process.env.DATABASE_URL);
  if (!LOCAL_HOSTS.has(serverUrl.hostname)) {
    console.error(`[e2e-server] refusing to run end-to-end tests against a non-local database host (${serverUrl.hostname}): this script drops and recreates a database.`);
    process.exit(2);
  }
  const name = decodeURIComponent(serverUrl.pathname.slice(1));
  if (name && name !== "postgres") database = `${name}_e2e`;
  serverUrl.pathname = "/postgres";
} else {
  const pgPort = Number(process.env.E2E_PG_PORT ?? 54349);
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(pgPort === 54349 ? ".slotwise/e2e-pgdata" : `.slotwise/e2e-pgdata-${pgPort}`), port: pgPort, fast: true });
  serverUrl = new URL(server.serverUrl);
  stopDb = () => server.stop();
}

const admin = new pg.Client({ connectionString: serverUrl.toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
await admin.end();
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${database}`;
process.env.DATABASE_URL = dbUrl.toString();
resetEnvCache();
await migrate(dbUrl.toString());
await seedDemo(prisma());
// No workers run during the end-to-end tests; a test that needs one acts as a worker over the
// HTTP API with this token, minted as an operator would with `npm run cli -- token create --worker`.
const worker = await mintToken(prisma(), { kind: "WORKER", name: "e2e-worker" });
mkdirSync("e2e/.auth", { recursive: true });
writeFileSync("e2e/.auth/worker-token", worker.token);
await closeDb();
say(`database ${database} migrated and seeded`);

// The server `npm start` runs (after a build), or with --dev the one `npm run dev` runs.
const serve = appServerCommand(Number(port), !process.env.E2E_PROD);
const command = [...(serve.execArgv ?? []), serve.exec, ...serve.args];
const app = spawn(process.execPath, command, {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    APP_URL: `http://localhost:${port}`,
    // The suite signs in many times from one address within seconds.
    AUTH_RATE_LIMIT: "false",
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? "e2e-only-secret-not-for-any-real-deployment",
  },
});

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (app.exitCode === null && app.signalCode === null) {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    app.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await stopDb();
  process.exit(code);
}
takeOverShutdownSignals(); // the app first, then the database
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
app.on("exit", (code) => void shutdown(code ?? 0));
