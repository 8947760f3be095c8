import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import type { PrismaClient } from "../db/client";
import { notFound } from "../core/errors";

/** PUT /api/fair-scheduler/orgs/{orgId}: platform admins set weight and max concurrency. */
export const orgConcurrencyUpdate = z
  .strictObject({
    weight: z.number().int().min(1).max(1_000_000).optional(),
    maxConcurrency: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine((v) => v.weight !== undefined || v.maxConcurrency !== undefined, { message: "give weight, maxConcurrency or both" });

export type OrgConcurrencyUpdate = z.infer<typeof orgConcurrencyUpdate>;

export async function updateOrgConcurrency(prisma: PrismaClient, orgId: string, update: OrgConcurrencyUpdate, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: orgId }, select: { name: true, weight: true, maxConcurrency: true } });
    if (!before) throw notFound("Organization");
    const after = await tx.organization.update({ where: { id: orgId }, data: update, select: { id: true, weight: true, maxConcurrency: true } });
    const diff = changedFields(before, update);
    if (diff) await recordAudit(tx, { orgId, actor, action: "org.concurrency.update", entityType: "organization", entityId: orgId, entityName: before.name, ...diff });
    return after;
  });
}
