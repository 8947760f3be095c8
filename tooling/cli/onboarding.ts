import { z } from "zod";
import { listAllTokens, listOrgTokens, revokeTokenById } from "../../lib/auth/token-admin";
import { conflict } from "../../lib/core/errors";
import { createOrg, deleteOrg, listOrgs, orgCreate, renameOrg, slug } from "../../lib/orgs/orgs";
import { platformSettingsUpdate, updatePlatformSettings } from "../../lib/platform/platform-settings";
import { addMember, memberAdd, removeMember, updateMember } from "../../lib/users/members";
import { orgBySlug, userIdByEmail } from "../../lib/users/users";
import { pool } from "../../lib/db/client";
import { check, email, flags, text, type Command } from "./args";


// Onboarding and platform administration from the shell (docs/operations.md, "Onboarding a
// tenant"): the same functions, checks and audit entries as the API and the console. The CLI
// acts as the operator at the machine, recorded in the audit log as "cli".

const ACTOR = "cli";

export const ONBOARDING_HELP = {
  org: `Usage:
  npm run cli -- org create --name N [--slug S] [--weight W] [--max-concurrency M]
  npm run cli -- org list
  npm run cli -- org rename --org SLUG [--name N] [--slug NEW]
  npm run cli -- org delete --org SLUG --yes      ends its live executions, then deletes it`,
  member: `Usage:
  npm run cli -- member add --org SLUG --email E [--role admin|member] [--name N] [--password P]
      someone new gets an account; without --password one is made and printed once
  npm run cli -- member role --org SLUG --email E --role admin|member
  npm run cli -- member remove --org SLUG --email E`,
  platform: `Usage:
  npm run cli -- platform set [--global-capacity N] [--default-project-concurrency N] [--default-max-queued N] [--max-forced-per-org N] [--alert-queue-age-ms N|off] [--alert-stuck-run-ms N|off]
      0 = no cap (for --max-forced-per-org: run now is off)`,
} as const;

const count = z.coerce.number().int().min(0).max(1_000_000);

const orgCreateFlags = z.strictObject({
  name: text.max(120),
  slug: slug.optional(),
  weight: z.coerce.number().int().min(1).max(1_000_000).optional(),
  "max-concurrency": count.optional(),
});

const orgCreateCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { name: { type: "string" }, slug: { type: "string" }, weight: { type: "string" }, "max-concurrency": { type: "string" } });
  if (help) return io.out(ONBOARDING_HELP.org);
  const v = check(orgCreateFlags, values);
  const org = await createOrg(prisma, check(orgCreate, { name: v.name, slug: v.slug, weight: v.weight, maxConcurrency: v["max-concurrency"] }), ACTOR);
  io.out(`Created organization ${org.name} (slug ${org.slug}, id ${org.id}).`);
};

const orgListCommand: Command = async (prisma, args, io) => {
  const { help } = flags(args, {});
  if (help) return io.out(ONBOARDING_HELP.org);
  for (const o of await listOrgs(prisma, "all")) io.out(`${o.slug}\t${o.name}\tweight ${o.weight}\tcap ${o.maxConcurrency || "none"}\t${o.id}`);
};

const orgRenameCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" }, name: { type: "string" }, slug: { type: "string" } });
  if (help) return io.out(ONBOARDING_HELP.org);
  const v = check(z.strictObject({ org: text, name: text.max(120).optional(), slug: slug.optional() }).refine((x) => x.name || x.slug, { path: ["name"], message: "give --name, --slug or both" }), values);
  const org = await renameOrg(prisma, (await orgBySlug(prisma, v.org)).id, { name: v.name, slug: v.slug }, ACTOR);
  io.out(`Organization ${v.org} is now ${org.name} (slug ${org.slug}).`);
};

const orgDeleteCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" }, yes: { type: "boolean" } });
  if (help) return io.out(ONBOARDING_HELP.org);
  const v = check(z.strictObject({ org: text, yes: z.literal(true, { error: "is required: deleting an org ends its live executions and cannot be undone" }) }), values);
  const { ended } = await deleteOrg(pool(), (await orgBySlug(prisma, v.org)).id, ACTOR);
  io.out(`Deleted organization ${v.org}${ended ? ` (${ended} live execution${ended === 1 ? "" : "s"} ended first)` : ""}.`);
};

const role = z.enum(["admin", "member"]).transform((r) => (r === "admin" ? "ADMIN" : "MEMBER") as "ADMIN" | "MEMBER");

const memberAddCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" }, email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, password: { type: "string" } });
  if (help) return io.out(ONBOARDING_HELP.member);
  const v = check(z.strictObject({ org: text, email, role: role.optional(), name: text.max(120).optional(), password: z.string().optional() }), values);
  const input = check(memberAdd, { email: v.email, role: v.role, name: v.name, password: v.password });
  const added = await addMember(prisma, (await orgBySlug(prisma, v.org)).id, input, ACTOR);
  io.out(`${added.email} is now ${added.role === "ADMIN" ? "an admin" : "a member"} of ${v.org}${added.newAccount ? " (new account)" : ""}.`);
  if (added.initialPassword) {
    io.out(`Initial password: ${added.initialPassword}`);
    io.err("Hand this password over now: it is not shown again.");
  }
};

const memberRoleCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" }, email: { type: "string" }, role: { type: "string" } });
  if (help) return io.out(ONBOARDING_HELP.member);
  const v = check(z.strictObject({ org: text, email, role }), values);
  const org = await orgBySlug(prisma, v.org);
  await updateMember(prisma, org.id, await userIdByEmail(prisma, v.email), { role: v.role }, ACTOR);
  io.out(`${v.email.toLowerCase()} is now ${v.role === "ADMIN" ? "an admin" : "a member"} of ${v.org}.`);
};

const memberRemoveCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" }, email: { type: "string" } });
  if (help) return io.out(ONBOARDING_HELP.member);
  const v = check(z.strictObject({ org: text, email }), values);
  const org = await orgBySlug(prisma, v.org);
  await removeMember(prisma, org.id, await userIdByEmail(prisma, v.email), ACTOR);
  io.out(`${v.email.toLowerCase()} is no longer a member of ${v.org}.`);
};

export const TOKEN_LIST_HELP = `  npm run cli -- token list [--org SLUG]                      names, scopes, last use (never secrets)
  npm run cli -- token revoke --id ID`;

const tokenListCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { org: { type: "string" } });
  if (help) return io.out(`Usage:\n${TOKEN_LIST_HELP}`);
  const v = check(z.strictObject({ org: text.optional() }), values);
  const tokens = v.org ? await listOrgTokens(prisma, (await orgBySlug(prisma, v.org)).id) : await listAllTokens(prisma);
  const slugs = new Map((await listOrgs(prisma, "all")).map((o) => [o.id, o.slug]));
  for (const t of tokens) {
    const scope = t.kind === "worker" ? `worker of ${t.orgId ? slugs.get(t.orgId) : "every org"}` : t.kind === "user" ? `user ${t.userEmail}` : "platform admin";
    const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `last used ${t.lastUsedAt?.toISOString() ?? "never"}`;
    io.out(`${t.id}\t${t.prefix}…\t${t.name}\t${scope}\t${state}`);
  }
};

const tokenRevokeCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, { id: { type: "string" } });
  if (help) return io.out(`Usage:\n${TOKEN_LIST_HELP}`);
  const v = check(z.strictObject({ id: z.uuid() }), values);
  const before = await prisma.apiToken.findUnique({ where: { id: v.id }, select: { revokedAt: true } });
  if (before?.revokedAt) throw conflict("already_revoked", `Token ${v.id} was revoked already.`);
  await revokeTokenById(prisma, v.id, null, ACTOR);
  io.out(`Revoked token ${v.id}.`);
};

const PLATFORM_FLAGS = {
  "global-capacity": "globalCapacity", "default-project-concurrency": "defaultProjectConcurrency", "default-max-queued": "defaultMaxQueued", "max-forced-per-org": "maxForcedPerOrg",
  "alert-queue-age-ms": "alertQueueAgeMs", "alert-stuck-run-ms": "alertStuckRunMs",
} as const;
type PlatformFlag = keyof typeof PLATFORM_FLAGS;
/** Alert thresholds may be turned off (docs/operations.md, "Alerts"): `off` on the command line. */
const OFF_ALLOWED = new Set<PlatformFlag>(["alert-queue-age-ms", "alert-stuck-run-ms"]);
// Each flag checked by the API's own rule for its field, so the CLI and the API refuse the same values.
const platformFlag = (flag: PlatformFlag) => {
  const rule = platformSettingsUpdate.shape[PLATFORM_FLAGS[flag]].unwrap();
  return z.preprocess((raw) => (OFF_ALLOWED.has(flag) && raw === "off" ? null : raw === undefined ? undefined : Number(raw)), rule).optional();
};
const platformSetFlags = z
  .strictObject(Object.fromEntries((Object.keys(PLATFORM_FLAGS) as PlatformFlag[]).map((flag) => [flag, platformFlag(flag)])))
  .refine((v) => Object.values(v).some((x) => x !== undefined), { path: ["global-capacity"], message: `give at least one of ${Object.keys(PLATFORM_FLAGS).map((f) => `--${f}`).join(", ")}` });

const platformSetCommand: Command = async (prisma, args, io) => {
  const { help, values } = flags(args, Object.fromEntries(Object.keys(PLATFORM_FLAGS).map((n) => [n, { type: "string" as const }])));
  if (help) return io.out(ONBOARDING_HELP.platform);
  const v = check(platformSetFlags, values) as Partial<Record<PlatformFlag, number | null>>;
  const update = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined).map(([flag, value]) => [PLATFORM_FLAGS[flag as PlatformFlag], value]));
  const settings = await updatePlatformSettings(prisma, update, ACTOR);
  io.out(Object.entries(PLATFORM_FLAGS).map(([flag, field]) => `${flag} ${settings[field] ?? "off"}`).join(", "));
};

export const ONBOARDING_COMMANDS: Record<string, Command> = {
  "org create": orgCreateCommand,
  "org list": orgListCommand,
  "org rename": orgRenameCommand,
  "org delete": orgDeleteCommand,
  "member add": memberAddCommand,
  "member role": memberRoleCommand,
  "member remove": memberRemoveCommand,
  "token list": tokenListCommand,
  "token revoke": tokenRevokeCommand,
  "platform set": platformSetCommand,
};

