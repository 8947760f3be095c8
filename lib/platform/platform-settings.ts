import { z } from "zod";
import { alertThreshold } from "../alerts/thresholds";
import { changedFields, recordAudit } from "../audit/record-audit";
import type { PrismaClient } from "../db/client";

/** Platform-wide capacity and the default for projects without their own limit (0 = no cap). */
export const platformSettingsUpdate = z
  .strictObject({
    globalCapacity: z.number().int().min(0).max(1_000_000).optional(),
    defaultProjectConcurrency: z.number().int().min(0).max(1_000_000).optional(),
    /** Backlog cap of orgs that set none (docs/limits.md; 0 = no cap). */
    defaultMaxQueued: z.number().int().min(0).max(100_000_000).optional(),
    /** Forced ("run now") executions live per org at most (docs/lifecycle.md; 0 = run now is off). */
    maxForcedPerOrg: z.number().int().min(0).max(1_000).optional(),
    /** Alert thresholds of orgs that set none (docs/operations.md, "Alerts"; null = that rule is off). */
    alertQueueAgeMs: alertThreshold.nullable().optional(),
    alertStuckRunMs: alertThreshold.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "give globalCapacity, defaultProjectConcurrency, defaultMaxQueued, maxForcedPerOrg, alertQueueAgeMs, alertStuckRunMs or several" });

export type PlatformSettingsUpdate = z.infer<typeof platformSettingsUpdate>;

const select = { globalCapacity: true, defaultProjectConcurrency: true, defaultMaxQueued: true, maxForcedPerOrg: true, alertQueueAgeMs: true, alertStuckRunMs: true } as const;

/** The one row exists from the first migration on (a CHECK keeps it the only one). */
export async function getPlatformSettings(prisma: PrismaClient) {
  return prisma.platformSettings.findUniqueOrThrow({ where: { id: 1 }, select });
}

export async function updatePlatformSettings(prisma: PrismaClient, update: PlatformSettingsUpdate, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.platformSettings.findUniqueOrThrow({ where: { id: 1 }, select });
    const after = await tx.platformSettings.update({ where: { id: 1 }, data: update, select });
    const diff = changedFields(before, update);
    if (diff) await recordAudit(tx, { orgId: null, actor, action: "platform.settings.update", entityType: "platform", entityId: "1", entityName: "settings", ...diff });
    return after;
  });
}
