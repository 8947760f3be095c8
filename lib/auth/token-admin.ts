import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import type { PrismaClient } from "../db/client";
import { mintToken, revokeToken, type TokenKind } from "./tokens";

// Issuing and revoking API tokens from the API, the console and the CLI (docs/api.md,
// "Tokens"). An org's admins issue worker tokens for their org; platform admins also issue
// platform-admin tokens and worker tokens for every org. The secret is returned once, by the
// call that issues it; listings show the name, the scope, the prefix and the last use.

export const orgTokenCreate = z.strictObject({ name: z.string().trim().min(1).max(120) });
export const platformTokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(120),
  kind: z.enum(["platform_admin", "worker"]).describe("worker: a worker token for every org"),
});

const select = { id: true, name: true, kind: true, prefix: true, orgId: true, createdAt: true, lastUsedAt: true, revokedAt: true, user: { select: { email: true } } } as const;

type Row = { id: string; name: string; kind: TokenKind; prefix: string; orgId: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; user: { email: string } | null };
const view = ({ user, kind, ...row }: Row) => ({ ...row, kind: kind.toLowerCase() as "platform_admin" | "user" | "worker", userEmail: user?.email ?? null });

/** An org's worker tokens, newest first (revoked ones too: they say when). */
export async function listOrgTokens(prisma: PrismaClient, orgId: string) {
  return (await prisma.apiToken.findMany({ where: { orgId }, select, orderBy: { createdAt: "desc" } })).map(view);
}

/** Every token of the platform, newest first. */
export async function listAllTokens(prisma: PrismaClient) {
  return (await prisma.apiToken.findMany({ select, orderBy: { createdAt: "desc" } })).map(view);
}

async function issue(prisma: PrismaClient, input: { kind: TokenKind; name: string; orgId: string | null }, actor: string) {
  return prisma.$transaction(async (tx) => {
    if (input.orgId && !(await tx.organization.findUnique({ where: { id: input.orgId }, select: { id: true } }))) throw notFound("Organization");
    const { id, token } = await mintToken(tx, input);
    await recordAudit(tx, { orgId: input.orgId, actor, action: "token.create", entityType: "api_token", entityId: id, entityName: input.name, before: null, after: { name: input.name, kind: input.kind.toLowerCase(), prefix: token.slice(0, 10) } });
    const row = await tx.apiToken.findUniqueOrThrow({ where: { id }, select });
    return { ...view(row), token };
  });
}

export function issueOrgToken(prisma: PrismaClient, orgId: string, input: z.infer<typeof orgTokenCreate>, actor: string) {
  return issue(prisma, { kind: "WORKER", name: input.name, orgId }, actor);
}

export function issuePlatformToken(prisma: PrismaClient, input: z.infer<typeof platformTokenCreate>, actor: string) {
  return issue(prisma, { kind: input.kind === "worker" ? "WORKER" : "PLATFORM_ADMIN", name: input.name, orgId: null }, actor);
}

/**
 * Revokes a token (of this org when `orgId` is given); revoking one already revoked changes
 * nothing. Other app instances may accept it for a few seconds more (tokens.ts, TOKEN_CACHE_MS).
 */
export async function revokeTokenById(prisma: PrismaClient, tokenId: string, orgId: string | null, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const found = await tx.apiToken.findFirst({ where: { id: tokenId, ...(orgId ? { orgId } : {}) }, select });
    if (!found) throw notFound("Token");
    if (found.revokedAt) return;
    await revokeToken(tx, tokenId);
    await recordAudit(tx, { orgId: found.orgId, actor, action: "token.revoke", entityType: "api_token", entityId: tokenId, entityName: found.name, before: { name: found.name, kind: found.kind.toLowerCase(), prefix: found.prefix }, after: null });
  });
}
