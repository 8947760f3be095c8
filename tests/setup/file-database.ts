import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, inject } from "vitest";

// Runs before each integration test file: clones the migrated template into a database of
// its own and points DATABASE_URL at it, before any app module reads the environment.
// The database is dropped after a passing file and kept after a failing one, so it can be
// inspected (its name is printed).

const TEMPLATE_DB = "slotwise_test_template";
const serverUrl = inject("pgServerUrl");
const name = `slotwise_test_${randomBytes(5).toString("hex")}`;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(TEMPLATE_DB)}`);
await admin.end();

const url = new URL(serverUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
Object.assign(process.env, { NODE_ENV: "test" });

let failed = false;
afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") failed = true;
});

afterAll(async () => {
  const { closeDb } = await import("../../lib/db/client");
  await closeDb();
  if (failed) {
    console.warn(`kept database ${name} of a failing test file for inspection`);
    return;
  }
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await client.end();
});
