import "server-only";
import { notFound } from "../core/errors";
import { rateView, retryView } from "../core/fields";
import { withRateWindows } from "../dispatch/sql/rate-windows";
import type { Prisma } from "../db/client";
import type { Db } from "../db/transaction";

/** A flow's columns as the API shows them (flowView nests them as `concurrency: { limit, behavior }`). */
export const flowSelect = {
  id: true, orgId: true, projectId: true, name: true, concurrencyLimit: true, concurrencyBehavior: true,
  defaultQueueId: true, childConcurrency: true, createdAt: true, updatedAt: true,
  rateLimit: true, ratePeriodMs: true, maxQueued: true, debounceSource: true, debouncePath: true, debounceDelayMs: true, debounceMaxDelayMs: true,
  retryMaxAttempts: true, retryInitialMs: true, retryFactor: true, retryMaxMs: true, retryJitter: true,
} as const;

type FlowRow = {
  concurrencyLimit: number | null; concurrencyBehavior: "QUEUE" | "CANCEL" | "FAIL"; rateLimit: number | null; ratePeriodMs: number | null;
  debounceSource: string | null; debouncePath: string | null; debounceDelayMs: number | null; debounceMaxDelayMs: number | null;
  retryMaxAttempts: number | null; retryInitialMs: number | null; retryFactor: number | null; retryMaxMs: number | null; retryJitter: number | null;
} & Record<string, unknown>;

export function flowView<T extends FlowRow>(row: T) {
  const {
    concurrencyLimit, concurrencyBehavior, rateLimit, ratePeriodMs, debounceSource, debouncePath, debounceDelayMs, debounceMaxDelayMs,
    retryMaxAttempts, retryInitialMs, retryFactor, retryMaxMs, retryJitter, ...rest
  } = row;
  return {
    ...rest,
    concurrency: { limit: concurrencyLimit, behavior: concurrencyBehavior },
    retry: retryView({ retryMaxAttempts, retryInitialMs, retryFactor, retryMaxMs, retryJitter }),
    rateLimit: rateView({ rateLimit, ratePeriodMs }),
    debounce: debounceSource
      ? { source: debounceSource as "submission" | "payload", ...(debouncePath ? { path: debouncePath } : {}), delayMs: debounceDelayMs!, maxDelayMs: debounceMaxDelayMs! }
      : null,
  };
}

/**
 * Flows as read, with what each is doing now: slots held (RUNNING and slot-holding PAUSED) and
 * executions queued. Both counts come from small, indexed sets — the rows that hold a slot
 * (bounded by capacity) and the lanes with queued work — never from the backlog. Takes a
 * transaction client too, so a create or update answers with what it committed.
 */
export async function listFlowsWithActivity(prisma: Prisma.TransactionClient, orgId: string, projectId?: string) {
  const [flows, activity] = await Promise.all([
    prisma.flow.findMany({ where: { orgId, ...(projectId ? { projectId } : {}) }, select: flowSelect, orderBy: { name: "asc" } }),
    activityOf(prisma, orgId),
  ]);
  return withRateWindows(flows.map((f) => ({ ...flowView(f), ...activity(f.id) })), "flow");
}

/** One flow, as the list shows it (also the reply of its create and update). */
export async function getFlowWithActivity(prisma: Prisma.TransactionClient, orgId: string, flowId: string) {
  const [flow, activity] = await Promise.all([prisma.flow.findFirst({ where: { id: flowId, orgId }, select: flowSelect }), activityOf(prisma, orgId, flowId)]);
  if (!flow) throw notFound("Flow");
  return (await withRateWindows([{ ...flowView(flow), ...activity(flow.id) }], "flow"))[0]!;
}

async function activityOf(prisma: Prisma.TransactionClient, orgId: string, flowId: string | null = null) {
  const [active, queued, scheduled] = await Promise.all([
    prisma.$queryRaw<{ flow_id: string; n: number }[]>`
      SELECT flow_id, count(*)::int AS n FROM execution
       WHERE org_id = ${orgId}::uuid AND holds_slot AND flow_id IS NOT NULL AND (${flowId}::uuid IS NULL OR flow_id = ${flowId}::uuid)
       GROUP BY flow_id`,
    prisma.$queryRaw<{ flow_id: string; n: number }[]>`
      SELECT flow_id, sum(queued)::int AS n FROM dispatch_lane
       WHERE org_id = ${orgId}::uuid AND queued > 0 AND flow_id IS NOT NULL AND (${flowId}::uuid IS NULL OR flow_id = ${flowId}::uuid)
       GROUP BY flow_id`,
    prisma.$queryRaw<{ flow_id: string; n: number }[]>`
      SELECT flow_id, count(*)::int AS n FROM execution
       WHERE waiting_lane_id IS NOT NULL AND org_id = ${orgId}::uuid AND flow_id IS NOT NULL AND (${flowId}::uuid IS NULL OR flow_id = ${flowId}::uuid)
       GROUP BY flow_id`,
  ]);
  const activeOf = new Map(active.map((r) => [r.flow_id, r.n]));
  const queuedOf = new Map(queued.map((r) => [r.flow_id, r.n]));
  const scheduledOf = new Map(scheduled.map((r) => [r.flow_id, r.n]));
  return (id: string) => ({ activeSlots: activeOf.get(id) ?? 0, queued: queuedOf.get(id) ?? 0, scheduled: scheduledOf.get(id) ?? 0 });
}

export type FlowWithActivity = Awaited<ReturnType<typeof listFlowsWithActivity>>[number];

/** The org of a flow, for authorization before reading it (no tenant filter). */
export async function unsafeFlowOrg(db: Db, flowId: string): Promise<string | null> {
  const { rows } = await db.query<{ org_id: string }>("SELECT org_id FROM flow WHERE id = $1", [flowId]);
  return rows[0]?.org_id ?? null;
}
