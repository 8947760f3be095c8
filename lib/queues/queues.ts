import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { conflict, notFound } from "../core/errors";
import type { PrismaClient } from "../db/client";
import { limit, name, rateColumns, rateLimit, rateView } from "../core/fields";
import { translatePrismaError } from "../db/prisma-errors";
import { withRateWindows } from "../dispatch/sql/rate-windows";

/** Queues: priority (higher first within an org) and concurrency (0 = no cap). */
export const queueCreate = z.strictObject({
  name,
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  concurrency: limit.optional(),
  rateLimit: rateLimit.optional(),
});
export const queueUpdate = queueCreate.partial();

const select = { id: true, orgId: true, name: true, priority: true, concurrency: true, rateLimit: true, ratePeriodMs: true, createdAt: true, updatedAt: true } as const;

function queueView<T extends { rateLimit: number | null; ratePeriodMs: number | null }>({ rateLimit: limit, ratePeriodMs, ...row }: T) {
  return { ...row, rateLimit: rateView({ rateLimit: limit, ratePeriodMs }) };
}

function columns({ rateLimit: rate, ...rest }: z.infer<typeof queueUpdate>) {
  return { ...rest, ...rateColumns(rate) };
}

/** With each rate-limited queue's window now. */
export async function listQueues(prisma: PrismaClient, orgId: string) {
  const queues = (await prisma.queue.findMany({ where: { orgId }, select, orderBy: [{ priority: "desc" }, { name: "asc" }] })).map(queueView);
  return withRateWindows(queues, "queue");
}

export async function createQueue(prisma: PrismaClient, orgId: string, input: z.infer<typeof queueCreate>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const queue = await tx.queue.create({ data: { ...columns(input), name: input.name, orgId }, select });
      await recordAudit(tx, { orgId, actor, action: "queue.create", entityType: "queue", entityId: queue.id, entityName: queue.name, before: null, after: input });
      return (await withRateWindows([queueView(queue)], "queue"))[0]!;
    });
  } catch (error) {
    translatePrismaError(error, "queue");
  }
}

export async function updateQueue(prisma: PrismaClient, orgId: string, queueId: string, input: z.infer<typeof queueUpdate>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const found = await tx.queue.findFirst({ where: { id: queueId, orgId }, select });
      if (!found) throw notFound("Queue");
      const before = queueView(found);
      const after = queueView(await tx.queue.update({ where: { id: queueId }, data: columns(input), select }));
      const diff = changedFields(before, after, Object.keys(input));
      if (diff) await recordAudit(tx, { orgId, actor, action: "queue.update", entityType: "queue", entityId: queueId, entityName: after.name, ...diff });
      return (await withRateWindows([after], "queue"))[0]!;
    });
  } catch (error) {
    translatePrismaError(error, "queue");
  }
}

/** A queue that executions still reference cannot be deleted: their history names it. */
export async function deleteQueue(prisma: PrismaClient, orgId: string, queueId: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.queue.findFirst({ where: { id: queueId, orgId }, select });
    if (!before) throw notFound("Queue");
    if (await tx.execution.findFirst({ where: { queueId }, select: { id: true } })) {
      throw conflict("in_use", "Executions reference this queue; it cannot be deleted.");
    }
    await tx.queue.delete({ where: { id: queueId } });
    await recordAudit(tx, { orgId, actor, action: "queue.delete", entityType: "queue", entityId: queueId, entityName: before.name, before, after: null });
  });
}
