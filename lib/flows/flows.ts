import { z } from "zod";
import { behavior } from "../contract/fields";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound, validationFailed } from "../core/errors";
import type { PrismaClient } from "../db/client";
import type { Db } from "../db/transaction";
import { flowSelect, flowView, getFlowWithActivity } from "./list-flows";
import { deleteWithLiveExecutions } from "../dispatch/delete-with-live-executions";
import { name, positiveLimit, rateColumns, rateLimit, retryColumns, retryPolicy } from "../core/fields";
import { parsePointer } from "../keys/key-values";

const DAY_MS = 86_400_000;

/**
 * Debounce (docs/limits.md): a submission while one with its key still waits replaces that
 * one's payload and pushes its start to `delayMs` from now, never past `maxDelayMs` after the
 * first. The key is the submission's debounceKey, or the payload's value at `path`.
 */
export const debounceSettings = z
  .strictObject({
    source: z.enum(["submission", "payload"]),
    path: z.string().optional().describe('a JSON pointer into the payload, e.g. "/userId" (source "payload")'),
    delayMs: z.number().int().min(1).max(DAY_MS, "must be at most a day (86400000 ms)"),
    maxDelayMs: z.number().int().min(1).max(7 * DAY_MS, "must be at most a week (604800000 ms)"),
  })
  .superRefine((d, ctx) => {
    if (d.maxDelayMs < d.delayMs) ctx.addIssue({ code: "custom", path: ["maxDelayMs"], message: "must be at least delayMs" });
    if (d.source === "payload" && (d.path === undefined || parsePointer(d.path) === null)) {
      ctx.addIssue({ code: "custom", path: ["path"], message: 'source "payload" needs a JSON pointer such as "/userId"' });
    }
    if (d.source === "submission" && d.path !== undefined) ctx.addIssue({ code: "custom", path: ["path"], message: 'only for source "payload"' });
  })
  .nullable();
import { translatePrismaError } from "../db/prisma-errors";

/** Flows: concurrency {limit, behavior} applies at once to everything queued (latest values at each dispatch). */
export const flowCreate = z.strictObject({
  name,
  projectId: z.uuid(),
  concurrency: z.strictObject({ limit: positiveLimit.nullable(), behavior: behavior.default("QUEUE") }).optional(),
  defaultQueueId: z.uuid().nullable().optional(),
  childConcurrency: positiveLimit.nullable().optional(),
  rateLimit: rateLimit.optional(),
  /** Backlog cap: at most this many executions of the flow waiting (null: none). */
  maxQueued: positiveLimit.nullable().optional(),
  debounce: debounceSettings.optional(),
  /** The retry policy of its submissions (null: FAILED is final). */
  retry: retryPolicy.optional(),
});
/** Every field optional, the two concurrency ones too: what is left out keeps its value. */
export const flowUpdate = flowCreate.omit({ projectId: true, concurrency: true }).partial().extend({
  concurrency: z.strictObject({ limit: positiveLimit.nullable().optional(), behavior: behavior.optional() }).optional(),
});

function columns(input: z.infer<typeof flowUpdate>) {
  const { concurrency, rateLimit: rate, debounce, retry, ...rest } = input;
  return {
    ...rest,
    ...rateColumns(rate),
    ...retryColumns(retry),
    ...(debounce === undefined
      ? {}
      : {
          debounceSource: debounce?.source ?? null,
          debouncePath: debounce?.path ?? null,
          debounceDelayMs: debounce?.delayMs ?? null,
          debounceMaxDelayMs: debounce?.maxDelayMs ?? null,
        }),
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
      await recordAudit(tx, { orgId, actor, action: "flow.create", entityType: "flow", entityId: flow.id, entityName: input.name, before: null, after: input });
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
      if (diff) await recordAudit(tx, { orgId, actor, action: "flow.update", entityType: "flow", entityId: flowId, entityName: after.name, ...diff });
      return getFlowWithActivity(tx, orgId, flowId);
    });
  } catch (error) {
    translatePrismaError(error, "flow");
  }
}

export async function deleteFlow(db: Db, orgId: string, flowId: string, actor: string) {
  return deleteWithLiveExecutions(db, { table: "flow", scope: { flowId }, orgId, id: flowId, actor });
}
