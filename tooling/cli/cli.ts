import { z } from "zod";
import { mintToken } from "../../lib/auth/tokens";
import { isAppError } from "../../lib/core/errors";
import type { PrismaClient } from "../../lib/db/client";
import { createUser, grantPlatformAdmin, orgBySlug, userIdByEmail } from "../../lib/users/users";
import { check, email, flags, missingOr, text, UsageError, type CliOutput, type Command } from "./args";
import { ONBOARDING_COMMANDS, ONBOARDING_HELP, TOKEN_LIST_HELP } from "./onboarding";

// The operator CLI's commands (`npm run cli -- <command>`), apart from the process so tests
// can run them against a database of their own. Every check happens before the first write:
// bad input exits with code 2 and changes nothing.

export type { CliOutput };

export const EXIT = { ok: 0, unexpected: 1, badInput: 2 } as const;

const HELP = {
  main: `Slotwise operator CLI

Usage: npm run cli -- <command> [options]

Commands:
  org create --name N [--slug S] [--weight W] [--max-concurrency M]
  org list
  org rename --org SLUG [--name N] [--slug NEW]
  org delete --org SLUG --yes
  member add --org SLUG --email E [--role admin|member] [--name N] [--password P]
  member role --org SLUG --email E --role admin|member
  member remove --org SLUG --email E
  user create --email E --password P [--name N] [--org SLUG --role admin|member]
  user grant-admin --email E
  token create --platform-admin [--name N]
  token create --user E [--name N]
  token create --worker [--org SLUG] [--name N]   (no --org: a worker for every org)
  token list [--org SLUG]
  token revoke --id ID
  platform set [--global-capacity N] [--default-project-concurrency N] [--default-max-queued N] [--max-forced-per-org N] [--alert-queue-age-ms N|off] [--alert-stuck-run-ms N|off]

Add --help to any command for details.`,
  user: `Usage:
  npm run cli -- user create --email E --password P [--name N] [--org SLUG --role admin|member]
  npm run cli -- user grant-admin --email E`,
  "user create": `Usage: npm run cli -- user create --email E --password P [--name N] [--org SLUG --role admin|member]
Creates a person who can sign in with email and password (at least 8 characters).
With --org, makes them a member of that organization (--role admin: an admin of it).`,
  "user grant-admin": `Usage: npm run cli -- user grant-admin --email E
Makes an existing user a platform administrator.`,
  token: `Usage:
  npm run cli -- token create --platform-admin [--name N]      acts as a platform admin
  npm run cli -- token create --user E [--name N]              acts as that user
  npm run cli -- token create --worker [--org SLUG] [--name N] a worker for one org, or every org
${TOKEN_LIST_HELP}
The token is printed once; only its SHA-256 is stored.`,
  ...ONBOARDING_HELP,
} as const;

const userCreateFlags = z.strictObject({
  email,
  password: z.string(missingOr()).min(8, "must be at least 8 characters"),
  name: text.max(120).optional(),
  org: text.optional(),
  role: z.enum(["admin", "member"]).optional(),
}).refine((v) => !v.role || v.org, { path: ["role"], message: "needs --org" });

const tokenCreateFlags = z.strictObject({
  "platform-admin": z.boolean().optional(),
  user: email.optional(),
  worker: z.boolean().optional(),
  org: text.optional(),
  name: text.max(120).optional(),
})
  .refine((v) => [v["platform-admin"], v.user !== undefined, v.worker].filter(Boolean).length === 1, { path: ["platform-admin"], message: "give exactly one of --platform-admin, --user E, --worker" })
  .refine((v) => v.org === undefined || v.worker, { path: ["org"], message: "goes with --worker" });

async function userCreate(prisma: PrismaClient, args: string[], io: CliOutput) {
  const { help, values } = flags(args, { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, org: { type: "string" }, role: { type: "string" } });
  if (help) return io.out(HELP["user create"]);
  const v = check(userCreateFlags, values);
  const user = await createUser(prisma, v);
  io.out(`Created user ${user.email}${v.org ? ` (${v.role ?? "member"} of ${v.org})` : ""}.`);
}

async function userGrantAdmin(prisma: PrismaClient, args: string[], io: CliOutput) {
  const { help, values } = flags(args, { email: { type: "string" } });
  if (help) return io.out(HELP["user grant-admin"]);
  const v = check(z.strictObject({ email }), values);
  const user = await grantPlatformAdmin(prisma, v.email);
  io.out(`${user.email} is now a platform administrator.`);
}

async function tokenCreate(prisma: PrismaClient, args: string[], io: CliOutput) {
  const { help, values } = flags(args, { "platform-admin": { type: "boolean" }, user: { type: "string" }, worker: { type: "boolean" }, org: { type: "string" }, name: { type: "string" } });
  if (help) return io.out(HELP.token);
  const v = check(tokenCreateFlags, values);
  let minted;
  if (v["platform-admin"]) {
    minted = await mintToken(prisma, { kind: "PLATFORM_ADMIN", name: v.name ?? "platform-admin" });
  } else if (v.user !== undefined) {
    minted = await mintToken(prisma, { kind: "USER", name: v.name ?? `cli-${v.user}`, userId: await userIdByEmail(prisma, v.user) });
  } else {
    const orgId = v.org ? (await orgBySlug(prisma, v.org)).id : null;
    minted = await mintToken(prisma, { kind: "WORKER", name: v.name ?? `worker-${v.org ?? "all-orgs"}`, orgId });
  }
  io.out(minted.token);
  io.err("Store this token now: it is not shown again.");
}

const COMMANDS: Record<string, Command> = {
  "user create": userCreate,
  "user grant-admin": userGrantAdmin,
  "token create": tokenCreate,
  ...ONBOARDING_COMMANDS,
};

const isHelp = (arg: string | undefined) => arg === undefined || arg === "--help" || arg === "-h" || arg === "help";

/** Runs one command; returns the process exit code. */
export async function runCli(prisma: PrismaClient, argv: string[], io: CliOutput): Promise<number> {
  const [group, action, ...rest] = argv;
  try {
    if (isHelp(group)) {
      io.out(HELP.main);
      return EXIT.ok;
    }
    if (group && group in HELP && group !== "main" && isHelp(action)) {
      io.out(HELP[group as keyof typeof HELP]);
      return EXIT.ok;
    }
    const command = COMMANDS[`${group} ${action}`];
    if (!command) throw new UsageError(`unknown command "${[group, action].filter(Boolean).join(" ")}". Run with --help for the list.`);
    await command(prisma, rest, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError || isAppError(error)) {
      io.err(`error: ${error.message}`);
      return EXIT.badInput;
    }
    io.err(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.unexpected;
  }
}
