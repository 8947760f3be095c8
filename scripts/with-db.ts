// Runs a command against the project's database: `tsx scripts/with-db.ts <cmd> [args…]`.
// Starts (or reuses) the embedded PostgreSQL when DATABASE_URL is unset, applies
// migrations, runs the command with DATABASE_URL set, and stops what it started.

import { spawn } from "node:child_process";
import { takeOverShutdownSignals } from "../tooling/db/embedded";
import { provideDatabase } from "../tooling/db/provide";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-db.ts <command> [args…]");
  process.exit(2);
}

const db = await provideDatabase((line) => console.error(`[db] ${line}`));
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: db.url },
});
// A signal sent to this script alone stops the command first (it may still need the
// database), then the database. (A terminal's Ctrl-C reaches all three at once.)
takeOverShutdownSignals();
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
const code: number = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
await db.stop();
process.exit(code);
