// A submitting PROCESS for tests/integration/limits-admission.test.ts: several of them submit
// the same input at once, each through its own connection pool, as separate app instances
// would. Argv: the SubmitInput as JSON, and how many times to submit it. It prints READY, waits
// for a "go" IPC message (so all start together), submits, prints `RESULT <json>` per
// submission (the result, or the problem's status and code) and exits.

import pg from "pg";
import { isAppError } from "../../../lib/core/errors";
import { submitExecution, type SubmitInput } from "../../../lib/dispatch/submit";

const input = JSON.parse(process.argv[2]!) as SubmitInput;
const times = Number(process.argv[3] ?? 1);
if (!process.env.DATABASE_URL) throw new Error("submit-process: DATABASE_URL is not set");
// Two connections: enough for submissions of one process to race each other too, few enough that
// several such processes beside the rest of the suite stay under the server's max_connections.
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

process.stdout.write("READY\n");
process.once("message", async () => {
  await Promise.all(
    Array.from({ length: times }, async () => {
      // As a client does: a submission refused before it ran (the server out of connections
      // beside the rest of the suite: 503, or "too many clients") is sent again.
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await submitExecution(db, input);
          process.stdout.write(`RESULT ${JSON.stringify({ id: r.id, deduplicatedBy: r.deduplicatedBy })}\n`);
          return;
        } catch (error) {
          const retry = (isAppError(error) && error.status === 503) || (error as { code?: string }).code === "53300";
          if (retry && attempt < 20) {
            await new Promise((r) => setTimeout(r, 100 * attempt));
            continue;
          }
          process.stdout.write(`RESULT ${JSON.stringify(isAppError(error) ? { status: error.status, code: error.code } : { error: String(error) })}\n`);
          return;
        }
      }
    }),
  );
  await db.end();
  process.exit(0);
});
