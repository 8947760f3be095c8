import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import type { PrismaClient } from "../db/client";
import { rebalancePausedSlots } from "../dispatch/sql/leases";
import { type Db } from "../db/transaction";
import { withDispatchTransaction } from "../dispatch/sql/transaction";
import { envLimits } from "../dispatch/options";
import { settingDetails, type ParallelSettings } from "../dispatch/policy/parallel-settings";

// An org's parallel execution settings (the lifecycle-management API, snake_case as its
// clients send it). The values stored are settings_value; what dispatch uses is
// current_value = min(env_value, settings_value).

export const parallelSettingsUpdate = z
  .strictObject({
    jobs: z.number().int().min(1).max(1_000_000).optional(),
    workflows: z.number().int().min(1).max(1_000_000).optional(),
    access_requests: z.number().int().min(1).max(1_000_000).optional(),
    max_paused_slots: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "give at least one setting" });

export type ParallelSettingsUpdate = z.infer<typeof parallelSettingsUpdate>;

async function configured(prisma: PrismaClient, orgId: string): Promise<ParallelSettings> {
  const org = await prisma.organization.findUnique({ where: { id: orgId }, select: { jobs: true, workflows: true, accessRequests: true, maxPausedSlots: true } });
  if (!org) throw notFound("Organization");
  return { jobs: org.jobs, workflows: org.workflows, access_requests: org.accessRequests, max_paused_slots: org.maxPausedSlots };
}

export async function getParallelSettings(prisma: PrismaClient, orgId: string): Promise<ParallelSettings> {
  return configured(prisma, orgId);
}

export async function getParallelSettingDetails(prisma: PrismaClient, orgId: string) {
  return settingDetails(envLimits(), await configured(prisma, orgId));
}

/**
 * Raw SQL rather than Prisma: a change to max_paused_slots must re-rank the org's paused
 * executions under the dispatch lock, in the same transaction as the change.
 */
export async function updateParallelSettings(db: Db, orgId: string, update: ParallelSettingsUpdate, actor: string): Promise<ParallelSettings> {
  return withDispatchTransaction(db, async (tx) => {
    const current = await tx.query<ParallelSettings>(
      "SELECT jobs, workflows, access_requests, max_paused_slots FROM organization WHERE id = $1 FOR UPDATE",
      [orgId],
    );
    const before = current.rows[0];
    if (!before) throw notFound("Organization");
    const after = { ...before, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) } as ParallelSettings;
    await tx.query(
      "UPDATE organization SET jobs = $2, workflows = $3, access_requests = $4, max_paused_slots = $5, updated_at = now() WHERE id = $1",
      [orgId, after.jobs, after.workflows, after.access_requests, after.max_paused_slots],
    );
    if (after.max_paused_slots !== before.max_paused_slots) await rebalancePausedSlots(tx, [orgId], envLimits().max_paused_slots);
    const diff = changedFields(before as unknown as Record<string, unknown>, update);
    if (diff) await recordAudit(tx, { orgId, actor, action: "org.parallel_settings.update", entityType: "organization", entityId: orgId, ...diff });
    return after;
  });
}

