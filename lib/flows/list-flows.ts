import "server-only";
import { listFlows } from "../config/flows";
import type { PrismaClient } from "../generated/prisma/client";
import type { Db } from "../scheduler/sql/tx";

/**
 * The org's flows with what each is doing now: slots held (RUNNING and slot-holding PAUSED)
 * and executions queued. Both counts come from small, indexed sets — the rows that hold a
 * slot (bounded by capacity) and the lanes with queued work — never from the backlog.
 */
export async function listFlowsWithActivity(prisma: PrismaClient, db: Db, orgId: string, projectId?: string) {
  const [flows, active, queued] = await Promise.all([
    listFlows(prisma, orgId, projectId),
    db.query<{ flow_id: string; n: number }>("SELECT flow_id, count(*)::int AS n FROM execution WHERE org_id = $1 AND holds_slot AND flow_id IS NOT NULL GROUP BY flow_id", [orgId]),
    db.query<{ flow_id: string; n: number }>("SELECT flow_id, sum(queued)::int AS n FROM dispatch_lane WHERE org_id = $1 AND queued > 0 AND flow_id IS NOT NULL GROUP BY flow_id", [orgId]),
  ]);
  const activeOf = new Map(active.rows.map((r) => [r.flow_id, r.n]));
  const queuedOf = new Map(queued.rows.map((r) => [r.flow_id, r.n]));
  return flows.map((f) => ({ ...f, activeSlots: activeOf.get(f.id) ?? 0, queued: queuedOf.get(f.id) ?? 0 }));
}

export type FlowWithActivity = Awaited<ReturnType<typeof listFlowsWithActivity>>[number];
