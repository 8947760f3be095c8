import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../db/client";

// Bearer API tokens for scripts and workers. Hand-written rather than better-auth's api-key
// plugin because Slotwise's tokens are not all a user's: worker tokens are scoped to one org
// (or all orgs) and platform-admin tokens belong to no user. The secret is 32 random bytes;
// only its SHA-256 is stored (a slow hash buys nothing for a secret with 256 bits of entropy),
// plus a short prefix so people can tell tokens apart.

export type TokenKind = "PLATFORM_ADMIN" | "USER" | "WORKER";

export interface VerifiedToken {
  id: string;
  kind: TokenKind;
  userId: string | null;
  orgId: string | null;
  name: string;
}

const PREFIX = "sw_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function mintToken(
  prisma: PrismaClient | Prisma.TransactionClient,
  input: { kind: TokenKind; name: string; userId?: string | null; orgId?: string | null },
): Promise<{ id: string; token: string }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const row = await prisma.apiToken.create({
    data: { kind: input.kind, name: input.name, userId: input.userId ?? null, orgId: input.orgId ?? null, prefix: token.slice(0, 10), hash: hashToken(token) },
    select: { id: true },
  });
  return { id: row.id, token };
}

const lastUsedWrites = new Map<string, number>();

/**
 * Verified tokens are kept for a few seconds per process: a worker or script calls many
 * times a second, and the lookup would otherwise be a query per request. The price is that a
 * revoked token keeps working for up to this long on other app instances (on this one,
 * revokeToken drops it at once). Unknown tokens are not cached, so nobody can fill the map.
 */
export const TOKEN_CACHE_MS = 5_000;
const verified = new Map<string, { token: VerifiedToken; until: number }>();

export async function verifyToken(prisma: PrismaClient, token: string): Promise<VerifiedToken | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const now = Date.now();
  const hit = verified.get(hash);
  if (hit && hit.until > now) return hit.token;
  const row = await prisma.apiToken.findUnique({
    where: { hash },
    select: { id: true, kind: true, userId: true, orgId: true, name: true, revokedAt: true },
  });
  if (!row || row.revokedAt) {
    verified.delete(hash);
    return null;
  }
  // Record use at most once a minute per token and process: not a write per request.
  if (now - (lastUsedWrites.get(row.id) ?? 0) > 60_000) {
    lastUsedWrites.set(row.id, now);
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const result: VerifiedToken = { id: row.id, kind: row.kind, userId: row.userId, orgId: row.orgId, name: row.name };
  if (verified.size >= 10_000) verified.clear();
  verified.set(hash, { token: result, until: now + TOKEN_CACHE_MS });
  return result;
}

export async function revokeToken(prisma: PrismaClient | Prisma.TransactionClient, tokenId: string): Promise<void> {
  await prisma.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
  for (const [hash, entry] of verified) if (entry.token.id === tokenId) verified.delete(hash);
}
