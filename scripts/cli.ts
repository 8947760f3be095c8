// Operator CLI: `npm run cli -- <command> [options]` (see tooling/cli/cli.ts, or `--help`).
// Runs against DATABASE_URL, or the embedded PostgreSQL through scripts/with-db.ts.

import { runCli } from "../tooling/cli/cli";
import { closeDb, prisma } from "../lib/db/client";

try {
  process.exitCode = await runCli(prisma(), process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
} finally {
  await closeDb();
}
