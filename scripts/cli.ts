/**
 * Operator CLI: `npm run cli -- <command> [options]`. Runs against DATABASE_URL (or the
 * embedded PostgreSQL, through scripts/with-db.ts). Bad input exits with code 2 and changes
 * nothing.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closeDb, prisma } from "../lib/db/client";
import { createUser, grantPlatformAdmin, orgBySlug, userIdByEmail } from "../lib/admin/users";
import { mintToken } from "../lib/auth/tokens";
import { isAppError } from "../lib/errors";

const HELP: Record<string, string> = {
  main: `Slotwise operator CLI

Usage: npm run cli -- <command> [options]

Commands:
  user create --email E --password P [--name N] [--org SLUG --role admin|member]
  user grant-admin --email E
  token create --platform-admin [--name N]
  token create --user E [--name N]
  token create --worker [--org SLUG] [--name N]   (no --org: a worker for every org)

Add --help to any command for details.`,
  "user create": `Usage: npm run cli -- user create --email E --password P [--name N] [--org SLUG --role admin|member]
Creates a person who can sign in with email and password (at least 8 characters).
With --org, makes them a member (or, with --role admin, an admin) of that organization.`,
  "user grant-admin": `Usage: npm run cli -- user grant-admin --email E
Makes an existing user a platform administrator.`,
  "token create": `Usage:
  npm run cli -- token create --platform-admin [--name N]   a token that acts as a platform admin
  npm run cli -- token create --user E [--name N]           a token that acts as that user
  npm run cli -- token create --worker [--org SLUG] [--name N]  a worker token (one org, or all)
The token is printed once; only its hash is stored.`,
};

class UsageError extends Error {}

function parse(args: string[], options: ParseArgsConfig["options"]) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean" } }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const required = (values: Record<string, unknown>, name: string): string => {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`--${name} is required`);
  return v;
};

async function run(argv: string[]): Promise<void> {
  const [group, action, ...rest] = argv;
  const command = `${group ?? ""} ${action ?? ""}`.trim();
  if (!group || group === "--help" || group === "help") return void console.log(HELP.main);

  if (command === "user create") {
    const v = parse(rest, { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, org: { type: "string" }, role: { type: "string" } });
    if (v.help) return void console.log(HELP[command]);
    const user = await createUser(prisma(), { email: required(v, "email"), password: required(v, "password"), name: v.name as string | undefined, org: v.org as string | undefined, role: v.role as "admin" | "member" | undefined });
    return void console.log(`Created user ${user.email}${v.org ? ` (${v.role ?? "member"} of ${v.org})` : ""}.`);
  }
  if (command === "user grant-admin") {
    const v = parse(rest, { email: { type: "string" } });
    if (v.help) return void console.log(HELP[command]);
    const user = await grantPlatformAdmin(prisma(), required(v, "email"));
    return void console.log(`${user.email} is now a platform administrator.`);
  }
  if (command === "token create") {
    const v = parse(rest, { "platform-admin": { type: "boolean" }, user: { type: "string" }, worker: { type: "boolean" }, org: { type: "string" }, name: { type: "string" } });
    if (v.help) return void console.log(HELP[command]);
    const kinds = [v["platform-admin"], v.user !== undefined, v.worker].filter(Boolean).length;
    if (kinds !== 1) throw new UsageError("give exactly one of --platform-admin, --user E, --worker");
    if (v.org !== undefined && !v.worker) throw new UsageError("--org goes with --worker");
    const name = (v.name as string | undefined) ?? (v.worker ? `worker${v.org ? `-${v.org}` : ""}` : v.user ? `cli-${v.user}` : "platform-admin");
    let minted;
    if (v["platform-admin"]) minted = await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name });
    else if (v.user !== undefined) minted = await mintToken(prisma(), { kind: "USER", name, userId: await userIdByEmail(prisma(), v.user as string) });
    else minted = await mintToken(prisma(), { kind: "WORKER", name, orgId: v.org ? (await orgBySlug(prisma(), v.org as string)).id : null });
    console.log(minted.token);
    return void console.error("Store this token now: it is not shown again.");
  }
  throw new UsageError(`unknown command "${command}". Run with --help for the list.`);
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  // Bad input (usage, validation, unknown user or org, duplicates): exit 2, nothing changed.
  const expected = error instanceof UsageError || isAppError(error);
  console.error(expected ? `error: ${(error as Error).message}` : error);
  process.exitCode = expected ? 2 : 1;
} finally {
  await closeDb();
}
