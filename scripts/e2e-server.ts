/**
 * The app as the end-to-end tests see it: its own database (`slotwise_e2e`, recreated and
 * seeded each run) on the embedded PostgreSQL — or on DATABASE_URL's server, which must be
 * local — and Next.js on E2E_PORT (3100). Playwright starts and stops this.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { seedDemo } from "../lib/demo/seed";
import { closeDb, prisma } from "../lib/db/client";
import { resetEnvCache } from "../lib/env";

const port = process.env.E2E_PORT ?? "3100";
let serverUrl: string;
let stopDb = async () => undefined as void;
if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL);
  if (!["localhost", "127.0.0.1", "::1"].includes(url.hostname)) {
    console.error(`refusing to run end-to-end tests against a non-local database (${url.hostname})`);
    process.exit(2);
  }
  url.pathname = "/postgres";
  serverUrl = url.toString();
} else {
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".slotwise/e2e-pgdata"), port: 54349, fast: true });
  serverUrl = server.serverUrl;
  stopDb = () => server.stop();
}

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query("DROP DATABASE IF EXISTS slotwise_e2e WITH (FORCE)");
await admin.query("CREATE DATABASE slotwise_e2e");
await admin.end();
const dbUrl = new URL(serverUrl);
dbUrl.pathname = "/slotwise_e2e";
process.env.DATABASE_URL = dbUrl.toString();
resetEnvCache();
await migrate(dbUrl.toString());
await seedDemo(prisma());
await closeDb();

const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
const args = process.env.E2E_PROD ? ["start", "--port", port] : ["dev", "--port", port];
const app = spawn(process.execPath, [next, ...args], {
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
const stop = async () => {
  app.kill("SIGTERM");
  await stopDb();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
app.on("exit", () => void stopDb().then(() => process.exit(0)));
