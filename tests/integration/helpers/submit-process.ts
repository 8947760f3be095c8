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
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

process.stdout.write("READY\n");
process.once("message", async () => {
  await Promise.all(
    Array.from({ length: times }, async () => {
      try {
        const r = await submitExecution(db, input);
        process.stdout.write(`RESULT ${JSON.stringify({ id: r.id, deduplicatedBy: r.deduplicatedBy })}\n`);
      } catch (error) {
        process.stdout.write(`RESULT ${JSON.stringify(isAppError(error) ? { status: error.status, code: error.code } : { error: String(error) })}\n`);
      }
    }),
  );
  await db.end();
  process.exit(0);
});
