import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import type { PrismaClient } from "../db/client";
import { rebalancePausedSlots } from "../dispatch/sql/leases";
import { type Db } from "../db/transaction";
import { withDispatchTransaction } from "../dispatch/sql/transaction";
import { envLimits } from "../dispatch/options";
import { effectiveSettings, settingDetails, type ParallelSettings } from "../dispatch/policy/parallel-settings";
import { pausedSlotsImpact, type PausedCap, type PausedNow } from "../dispatch/policy/paused-slots";

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

/**
 * Each setting's values, and what max_paused_slots does now: with `preview`, what setting it to
 * that value would do at once (the warning before a change); without, which caps the org is
 * above (the warning after). docs/lifecycle.md, "Lowering max_paused_slots".
 */
export async function getParallelSettingDetails(prisma: PrismaClient, orgId: string, preview?: number) {
  const settings = await configured(prisma, orgId);
  const details = settingDetails(envLimits(), settings);
  const current = effectiveSettings(envLimits(), settings).max_paused_slots;
  const { paused, caps } = await pausedFacts(prisma, orgId, effectiveSettings(envLimits(), settings));
  const value = preview === undefined ? current : Math.min(envLimits().max_paused_slots, preview);
  return { ...details, paused: pausedSlotsImpact(paused, caps, value) };
}

/** The org's paused executions and the caps they count toward, with what holds a slot under each now. */
async function pausedFacts(prisma: PrismaClient, orgId: string, settings: ParallelSettings): Promise<{ paused: PausedNow[]; caps: PausedCap[] }> {
  const [paused, held] = await Promise.all([
    // Microseconds, the order rebalancePausedSlots ranks them in (a float8 holds them exactly).
    prisma.$queryRaw<{ id: string; paused_us: number; seq: number; holds_slot: boolean; kind: string }[]>`
      SELECT id, (extract(epoch FROM paused_at) * 1000000)::float8 AS paused_us, seq::float8 AS seq, holds_slot, kind::text
        FROM execution WHERE org_id = ${orgId}::uuid AND state = 'PAUSED'`,
    prisma.$queryRaw<{ org: number; jobs: number; access_requests: number; max_concurrency: number }[]>`
      SELECT count(*) FILTER (WHERE holds_slot)::int AS org,
             count(*) FILTER (WHERE holds_slot AND kind = 'job')::int AS jobs,
             count(*) FILTER (WHERE holds_slot AND kind = 'access_request')::int AS access_requests,
             (SELECT max_concurrency FROM organization WHERE id = ${orgId}::uuid) AS max_concurrency
        FROM execution WHERE org_id = ${orgId}::uuid AND holds_slot`,
  ]);
  const h = held[0]!;
  const caps: PausedCap[] = [
    ...(h.max_concurrency > 0 ? [{ cap: "org" as const, limit: h.max_concurrency, inFlight: h.org }] : []),
    { cap: "jobs", limit: settings.jobs, inFlight: h.jobs },
    { cap: "access_requests", limit: settings.access_requests, inFlight: h.access_requests },
  ];
  return {
    paused: paused.map((p) => ({
      id: p.id, pausedAt: p.paused_us, seq: p.seq, holdsSlot: p.holds_slot,
      caps: [...(h.max_concurrency > 0 ? ["org" as const] : []), ...(p.kind === "job" ? ["jobs" as const] : p.kind === "access_request" ? ["access_requests" as const] : [])],
    })),
    caps,
  };
}

/**
 * Raw SQL rather than Prisma: a change to max_paused_slots must re-rank the org's paused
 * executions under the dispatch lock, in the same transaction as the change.
 */
export async function updateParallelSettings(db: Db, orgId: string, update: ParallelSettingsUpdate, actor: string): Promise<ParallelSettings> {
  return withDispatchTransaction(db, async (tx) => {
    const current = await tx.query<ParallelSettings & { name: string }>(
      "SELECT name, jobs, workflows, access_requests, max_paused_slots FROM organization WHERE id = $1 FOR UPDATE",
      [orgId],
    );
    if (!current.rows[0]) throw notFound("Organization");
    const { name, ...before } = current.rows[0];
    const after = { ...before, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) } as ParallelSettings;
    await tx.query(
      "UPDATE organization SET jobs = $2, workflows = $3, access_requests = $4, max_paused_slots = $5, updated_at = now() WHERE id = $1",
      [orgId, after.jobs, after.workflows, after.access_requests, after.max_paused_slots],
    );
    if (after.max_paused_slots !== before.max_paused_slots) await rebalancePausedSlots(tx, [orgId], envLimits().max_paused_slots);
    const diff = changedFields(before as unknown as Record<string, unknown>, update);
    if (diff) await recordAudit(tx, { orgId, actor, action: "org.parallel_settings.update", entityType: "organization", entityId: orgId, entityName: name, ...diff });
    return after;
  });
}

