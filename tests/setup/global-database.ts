import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../tooling/db/embedded";
import { migrate } from "../../tooling/db/migrate";

// Once per test run: a PostgreSQL server (DATABASE_URL's, or a throwaway embedded one) and
// a freshly migrated template database. Each test file clones the template
// (tests/setup/file-database.ts), so files run in parallel without seeing each other.

export const TEMPLATE_DB = "slotwise_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

function serverUrlFrom(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

export default async function setup(project: TestProject) {
  let serverUrl: string;
  let stop = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    serverUrl = serverUrlFrom(process.env.DATABASE_URL);
  } else {
    // TEST_PG_PORT lets two test runs on one machine use separate clusters.
    const port = Number(process.env.TEST_PG_PORT ?? 54339);
    const server = await startEmbeddedPostgres({
      dataDir: path.resolve(port === 54339 ? ".slotwise/test-pgdata" : `.slotwise/test-pgdata-${port}`),
      port,
      fast: true,
    });
    serverUrl = server.serverUrl;
    stop = () => server.stop();
  }

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const ident = pg.escapeIdentifier(TEMPLATE_DB);
  // Always rebuild the template so it reflects the migrations on disk right now.
  await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${ident}`);
  await admin.end();

  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrate(templateUrl.toString());

  project.provide("pgServerUrl", serverUrl);
  return stop;
}
