import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { notFound, validationFailed } from "../core/errors";
import type { PrismaClient } from "../db/client";
import { name } from "../core/fields";
import { translatePrismaError } from "../db/prisma-errors";

/** Triggers: a schedule or webhook identity whose executions hold the trigger lock. */
export const triggerCreate = z.strictObject({ name, flowId: z.uuid(), type: z.enum(["schedule", "webhook"]).default("schedule") });

const select = { id: true, orgId: true, flowId: true, name: true, type: true, createdAt: true } as const;

export async function listTriggers(prisma: PrismaClient, orgId: string) {
  return prisma.trigger.findMany({ where: { orgId }, select, orderBy: { name: "asc" } });
}

export async function createTrigger(prisma: PrismaClient, orgId: string, input: z.infer<typeof triggerCreate>, actor: string) {
  if (!(await prisma.flow.findFirst({ where: { id: input.flowId, orgId } }))) {
    throw validationFailed([{ field: "flowId", message: "no such flow in this organization" }]);
  }
  try {
    return await prisma.$transaction(async (tx) => {
      const trigger = await tx.trigger.create({ data: { ...input, orgId }, select });
      await recordAudit(tx, { orgId, actor, action: "trigger.create", entityType: "trigger", entityId: trigger.id, entityName: trigger.name, before: null, after: input });
      return trigger;
    });
  } catch (error) {
    translatePrismaError(error, "trigger", "this flow");
  }
}

export async function deleteTrigger(prisma: PrismaClient, orgId: string, triggerId: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.trigger.findFirst({ where: { id: triggerId, orgId }, select });
    if (!before) throw notFound("Trigger");
    await tx.trigger.delete({ where: { id: triggerId } });
    await recordAudit(tx, { orgId, actor, action: "trigger.delete", entityType: "trigger", entityId: triggerId, entityName: before.name, before, after: null });
  });
}
