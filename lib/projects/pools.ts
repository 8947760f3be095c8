import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import type { Prisma, PrismaClient } from "../db/client";
import { loadOrgUsage } from "./project-usage";
import { positiveLimit } from "../core/fields";
import { translatePrismaError } from "../db/prisma-errors";

// Concurrency pools: projects in a pool share its limit. Deleting a pool releases its
// projects from the shared limit; their executions carry on under their own caps.

export const poolCreate = z.strictObject({ key: z.string().trim().min(1).max(120), limit: positiveLimit });
export const poolUpdate = poolCreate.partial();

const select = { id: true, orgId: true, key: true, limit: true, createdAt: true, updatedAt: true, projects: { select: { id: true, name: true } } } as const;

/** Pools as read: the configuration plus `inFlight`, shared by all of the pool's projects. */
export async function listPools(prisma: Prisma.TransactionClient, orgId: string, only?: { poolId: string }) {
  const where = { orgId, ...(only ? { id: only.poolId } : {}) };
  const [pools, usage] = await Promise.all([prisma.concurrencyPool.findMany({ where, select, orderBy: { key: "asc" } }), loadOrgUsage(prisma, orgId)]);
  return pools.map((p) => ({ ...p, inFlight: usage.pools.get(p.id) ?? 0 }));
}

/** One pool as the list shows it; also the reply of its create and update, read in their transaction. */
export async function getPool(prisma: Prisma.TransactionClient, orgId: string, poolId: string) {
  const [pool] = await listPools(prisma, orgId, { poolId });
  if (!pool) throw notFound("Pool");
  return pool;
}

export async function createPool(prisma: PrismaClient, orgId: string, input: z.infer<typeof poolCreate>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const pool = await tx.concurrencyPool.create({ data: { ...input, orgId }, select: { id: true } });
      await recordAudit(tx, { orgId, actor, action: "pool.create", entityType: "pool", entityId: pool.id, entityName: input.key, before: null, after: input });
      return getPool(tx, orgId, pool.id);
    });
  } catch (error) {
    translatePrismaError(error, "pool");
  }
}

export async function updatePool(prisma: PrismaClient, orgId: string, poolId: string, input: z.infer<typeof poolUpdate>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.concurrencyPool.findFirst({ where: { id: poolId, orgId }, select: { key: true, limit: true } });
      if (!before) throw notFound("Pool");
      await tx.concurrencyPool.update({ where: { id: poolId }, data: input });
      const diff = changedFields(before, input);
      if (diff) await recordAudit(tx, { orgId, actor, action: "pool.update", entityType: "pool", entityId: poolId, entityName: input.key ?? before.key, ...diff });
      return getPool(tx, orgId, poolId);
    });
  } catch (error) {
    translatePrismaError(error, "pool");
  }
}

export async function deletePool(prisma: PrismaClient, orgId: string, poolId: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.concurrencyPool.findFirst({ where: { id: poolId, orgId }, select: { key: true, limit: true } });
    if (!before) throw notFound("Pool");
    await tx.concurrencyPool.delete({ where: { id: poolId } });
    await recordAudit(tx, { orgId, actor, action: "pool.delete", entityType: "pool", entityId: poolId, entityName: before.key, before, after: null });
  });
}

/**
 * Embedding provisioning: put a project in the pool with this key, creating the pool or
 * updating its limit (the JWT's concurrencyPoolKey / concurrencyPoolLimit claims).
 */
export async function upsertPoolByKey(tx: Pick<PrismaClient, "concurrencyPool" | "auditEvent">, orgId: string, key: string, limit: number, actor: string): Promise<string> {
  const before = await tx.concurrencyPool.findUnique({ where: { orgId_key: { orgId, key } }, select: { id: true, limit: true } });
  const pool = await tx.concurrencyPool.upsert({ where: { orgId_key: { orgId, key } }, create: { orgId, key, limit }, update: { limit }, select: { id: true } });
  if (!before || before.limit !== limit) {
    await recordAudit(tx, { orgId, actor, action: before ? "pool.update" : "pool.create", entityType: "pool", entityId: pool.id, entityName: key, before: before ? { limit: before.limit } : null, after: { key, limit } });
  }
  return pool.id;
}
