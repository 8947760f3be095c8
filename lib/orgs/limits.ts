import { z } from "zod";
import { alertThreshold } from "../alerts/thresholds";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import { rateColumns, rateLimit, rateView } from "../core/fields";
import { pool, type PrismaClient, type Prisma } from "../db/client";
import { scopeKey } from "../dispatch/policy/scopes";
import { rateWindows } from "../dispatch/sql/rate-windows";

// An org's own limits (docs/limits.md): a rate limit on its starts and a backlog cap on what
// may wait. Org admins set them; members read them with the fill level they bound.

export const orgLimitsUpdate = z
  .strictObject({
    rateLimit: rateLimit.optional(),
    /** At most this many executions waiting (queued and scheduled): null = the platform default, 0 = no cap. */
    maxQueued: z.number().int().min(0).max(100_000_000).nullable().optional(),
    /** Alert thresholds (docs/operations.md, "Alerts"), in ms: null = the platform's. */
    alertQueueAgeMs: alertThreshold.nullable().optional(),
    alertStuckRunMs: alertThreshold.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "give rateLimit, maxQueued, alertQueueAgeMs, alertStuckRunMs or several" });

const select = { rateLimit: true, ratePeriodMs: true, maxQueued: true, alertQueueAgeMs: true, alertStuckRunMs: true } as const;
type LimitsRow = { rateLimit: number | null; ratePeriodMs: number | null; maxQueued: number | null; alertQueueAgeMs: number | null; alertStuckRunMs: number | null };

async function limitsView(tx: Prisma.TransactionClient, orgId: string, row: LimitsRow) {
  const [settings, waiting] = await Promise.all([
    tx.platformSettings.findUnique({ where: { id: 1 }, select: { defaultMaxQueued: true, alertQueueAgeMs: true, alertStuckRunMs: true } }),
    tx.$queryRaw<{ queued: number; scheduled: number }[]>`
      SELECT (SELECT coalesce(sum(queued), 0) FROM dispatch_lane WHERE org_id = ${orgId}::uuid AND queued > 0)::int AS queued,
             (SELECT count(*) FROM execution WHERE waiting_lane_id IS NOT NULL AND org_id = ${orgId}::uuid)::int AS scheduled`,
  ]);
  const platformDefault = settings?.defaultMaxQueued ?? 0;
  const rate = rateView(row);
  const scope = scopeKey.rate("org", orgId);
  const windows = await rateWindows(pool(), new Map(rate ? [[scope, rate.limit]] : []));
  return {
    orgId,
    rateLimit: rate,
    rateWindow: windows.get(scope) ?? null,
    maxQueued: row.maxQueued,
    effectiveMaxQueued: row.maxQueued ?? platformDefault,
    platformDefaultMaxQueued: platformDefault,
    queued: waiting[0]!.queued,
    scheduled: waiting[0]!.scheduled,
    alertQueueAgeMs: row.alertQueueAgeMs,
    alertStuckRunMs: row.alertStuckRunMs,
    platformAlertQueueAgeMs: settings?.alertQueueAgeMs ?? null,
    platformAlertStuckRunMs: settings?.alertStuckRunMs ?? null,
  };
}

export async function getOrgLimits(prisma: PrismaClient, orgId: string) {
  const row = await prisma.organization.findUnique({ where: { id: orgId }, select });
  if (!row) throw notFound("Organization");
  return limitsView(prisma, orgId, row);
}

export async function updateOrgLimits(prisma: PrismaClient, orgId: string, input: z.infer<typeof orgLimitsUpdate>, actor: string) {
  return prisma.$transaction(async (tx) => {
    const found = await tx.organization.findUnique({ where: { id: orgId }, select: { ...select, name: true } });
    if (!found) throw notFound("Organization");
    const row = await tx.organization.update({
      where: { id: orgId },
      data: {
        ...rateColumns(input.rateLimit),
        ...(input.maxQueued !== undefined ? { maxQueued: input.maxQueued } : {}),
        ...(input.alertQueueAgeMs !== undefined ? { alertQueueAgeMs: input.alertQueueAgeMs } : {}),
        ...(input.alertStuckRunMs !== undefined ? { alertStuckRunMs: input.alertStuckRunMs } : {}),
      },
      select,
    });
    const before = { rateLimit: rateView(found), maxQueued: found.maxQueued, alertQueueAgeMs: found.alertQueueAgeMs, alertStuckRunMs: found.alertStuckRunMs };
    const after = { rateLimit: rateView(row), maxQueued: row.maxQueued, alertQueueAgeMs: row.alertQueueAgeMs, alertStuckRunMs: row.alertStuckRunMs };
    const diff = changedFields(before, after, Object.keys(input));
    if (diff) await recordAudit(tx, { orgId, actor, action: "org.limits.update", entityType: "organization", entityId: orgId, entityName: found.name, ...diff });
    return limitsView(tx, orgId, row);
  });
}
