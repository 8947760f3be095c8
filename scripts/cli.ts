/**
 * Operator CLI: `npm run cli -- <command> [options]` (see lib/admin/cli.ts, or `--help`).
 * Runs against DATABASE_URL, or the embedded PostgreSQL through scripts/with-db.ts.
 */
import { runCli } from "../lib/admin/cli";
import { closeDb, prisma } from "../lib/db/client";

try {
  process.exitCode = await runCli(prisma(), process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} finally {
  await closeDb();
}
