import { z } from "zod";
import { behavior } from "../contract/fields";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound, validationFailed } from "../core/errors";
import type { PrismaClient } from "../db/client";
import type { Db } from "../db/transaction";
import { flowSelect, flowView, getFlowWithActivity } from "./list-flows";
import { deleteWithLiveExecutions } from "../dispatch/delete-with-live-executions";
import { name, positiveLimit } from "../core/fields";
import { translatePrismaError } from "../db/prisma-errors";

/** Flows: concurrency {limit, behavior} applies at once to everything queued (latest values at each dispatch). */
export const flowCreate = z.strictObject({
  name,
  projectId: z.uuid(),
  concurrency: z.strictObject({ limit: positiveLimit.nullable(), behavior: behavior.default("QUEUE") }).optional(),
  defaultQueueId: z.uuid().nullable().optional(),
  childConcurrency: positiveLimit.nullable().optional(),
});
/** Every field optional, the two concurrency ones too: what is left out keeps its value. */
export const flowUpdate = flowCreate.omit({ projectId: true, concurrency: true }).partial().extend({
  concurrency: z.strictObject({ limit: positiveLimit.nullable().optional(), behavior: behavior.optional() }).optional(),
});

function columns(input: z.infer<typeof flowUpdate>) {
  const { concurrency, ...rest } = input;
  return {
    ...rest,
    ...(concurrency?.limit !== undefined ? { concurrencyLimit: concurrency.limit } : {}),
    ...(concurrency?.behavior !== undefined ? { concurrencyBehavior: concurrency.behavior } : {}),
  };
}

async function checkRefs(prisma: PrismaClient, orgId: string, input: { projectId?: string; defaultQueueId?: string | null }) {
  if (input.projectId && !(await prisma.project.findFirst({ where: { id: input.projectId, orgId } }))) {
    throw validationFailed([{ field: "projectId", message: "no such project in this organization" }]);
  }
  if (input.defaultQueueId && !(await prisma.queue.findFirst({ where: { id: input.defaultQueueId, orgId } }))) {
    throw validationFailed([{ field: "defaultQueueId", message: "no such queue in this organization" }]);
  }
}

export async function createFlow(prisma: PrismaClient, orgId: string, input: z.infer<typeof flowCreate>, actor: string) {
  await checkRefs(prisma, orgId, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const flow = await tx.flow.create({ data: { ...columns(input), projectId: input.projectId, name: input.name, orgId }, select: { id: true } });
      await recordAudit(tx, { orgId, actor, action: "flow.create", entityType: "flow", entityId: flow.id, before: null, after: input });
      return getFlowWithActivity(tx, orgId, flow.id);
    });
  } catch (error) {
    translatePrismaError(error, "flow");
  }
}

export async function updateFlow(prisma: PrismaClient, orgId: string, flowId: string, input: z.infer<typeof flowUpdate>, actor: string) {
  await checkRefs(prisma, orgId, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.flow.findFirst({ where: { id: flowId, orgId }, select: flowSelect });
      if (!before) throw notFound("Flow");
      const after = await tx.flow.update({ where: { id: flowId }, data: columns(input), select: flowSelect });
      const diff = changedFields(flowView(before) as Record<string, unknown>, flowView(after) as Record<string, unknown>);
      if (diff) await recordAudit(tx, { orgId, actor, action: "flow.update", entityType: "flow", entityId: flowId, ...diff });
      return getFlowWithActivity(tx, orgId, flowId);
    });
  } catch (error) {
    translatePrismaError(error, "flow");
  }
}

export async function deleteFlow(db: Db, orgId: string, flowId: string, actor: string) {
  return deleteWithLiveExecutions(db, { table: "flow", scope: { flowId }, orgId, id: flowId, actor });
}
