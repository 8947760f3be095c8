import "server-only";
import { getFlow, listFlows } from "../config/flows";
import type { PrismaClient } from "../generated/prisma/client";
import type { Db } from "../scheduler/sql/tx";

/**
 * The org's flows with what each is doing now: slots held (RUNNING and slot-holding PAUSED)
 * and executions queued. Both counts come from small, indexed sets — the rows that hold a
 * slot (bounded by capacity) and the lanes with queued work — never from the backlog.
 */
export async function listFlowsWithActivity(prisma: PrismaClient, db: Db, orgId: string, projectId?: string) {
  const [flows, activity] = await Promise.all([listFlows(prisma, orgId, projectId), activityOf(db, orgId)]);
  return flows.map((f) => ({ ...f, ...activity(f.id) }));
}

/** One flow, as the list shows it (also the reply of its create and update). */
export async function getFlowWithActivity(prisma: PrismaClient, db: Db, orgId: string, flowId: string) {
  const [flow, activity] = await Promise.all([getFlow(prisma, orgId, flowId), activityOf(db, orgId, flowId)]);
  return { ...flow, ...activity(flow.id) };
}

async function activityOf(db: Db, orgId: string, flowId: string | null = null) {
  const [active, queued] = await Promise.all([
    db.query<{ flow_id: string; n: number }>("SELECT flow_id, count(*)::int AS n FROM execution WHERE org_id = $1 AND holds_slot AND flow_id IS NOT NULL AND ($2::uuid IS NULL OR flow_id = $2) GROUP BY flow_id", [orgId, flowId]),
    db.query<{ flow_id: string; n: number }>("SELECT flow_id, sum(queued)::int AS n FROM dispatch_lane WHERE org_id = $1 AND queued > 0 AND flow_id IS NOT NULL AND ($2::uuid IS NULL OR flow_id = $2) GROUP BY flow_id", [orgId, flowId]),
  ]);
  const activeOf = new Map(active.rows.map((r) => [r.flow_id, r.n]));
  const queuedOf = new Map(queued.rows.map((r) => [r.flow_id, r.n]));
  return (id: string) => ({ activeSlots: activeOf.get(id) ?? 0, queued: queuedOf.get(id) ?? 0 });
}

export type FlowWithActivity = Awaited<ReturnType<typeof listFlowsWithActivity>>[number];
