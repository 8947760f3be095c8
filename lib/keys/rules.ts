import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { conflict, notFound, validationFailed } from "../core/errors";
import { name, positiveLimit, rateColumns, rateLimit, rateView } from "../core/fields";
import type { Prisma, PrismaClient } from "../db/client";
import { translatePrismaError } from "../db/prisma-errors";
import { MAX_KEY_LENGTH, parsePointer } from "./key-values";

// Concurrency key rules and their overrides (docs/limits.md, "Concurrency keys"). A rule's
// scope (org, flow or queue) and key are fixed once created — executions carry the keys they
// were submitted with — while its limits, and the overrides of single keys, apply at the next
// claim to everything queued.

/** Rules an org may have: each submission reads every rule that covers it. */
export const MAX_RULES_PER_ORG = 100;

const keyDefinition = z
  .strictObject({
    source: z.enum(["submission", "payload"]),
    path: z.string().optional().describe('a JSON pointer such as "/customerId" (source "payload")'),
  })
  .superRefine((k, ctx) => {
    if (k.source === "payload" && (k.path === undefined || parsePointer(k.path) === null)) {
      ctx.addIssue({ code: "custom", path: ["path"], message: 'source "payload" needs a JSON pointer such as "/customerId" (at most 16 segments, 200 characters)' });
    }
    if (k.source === "submission" && k.path !== undefined) ctx.addIssue({ code: "custom", path: ["path"], message: 'only for source "payload"' });
  });

export const keyRuleCreate = z
  .strictObject({
    name,
    flowId: z.uuid().nullable().optional(),
    queueId: z.uuid().nullable().optional(),
    key: keyDefinition,
    limit: positiveLimit.nullable().optional(),
    rateLimit: rateLimit.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.flowId && r.queueId) ctx.addIssue({ code: "custom", path: ["queueId"], message: "a rule covers the org, one flow or one queue: give flowId or queueId, not both" });
    if (r.limit == null && r.rateLimit == null) ctx.addIssue({ code: "custom", path: ["limit"], message: "give limit, rateLimit or both" });
  });

export const keyRuleUpdate = z
  .strictObject({ name: name.optional(), limit: positiveLimit.nullable().optional(), rateLimit: rateLimit.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "give name, limit or rateLimit" });

export const keyOverrideWrite = z.strictObject({ key: z.string().min(1).max(MAX_KEY_LENGTH), limit: positiveLimit });
export const keyOverrideQuery = z.strictObject({ key: z.string().min(1).max(MAX_KEY_LENGTH) });

const select = {
  id: true, orgId: true, name: true, flowId: true, queueId: true, source: true, path: true, limit: true, rateLimit: true, ratePeriodMs: true,
  createdAt: true, updatedAt: true, _count: { select: { overrides: true } },
} as const;
type RuleRow = Prisma.ConcurrencyKeyRuleGetPayload<{ select: typeof select }>;

function ruleView(r: RuleRow) {
  return {
    id: r.id, orgId: r.orgId, name: r.name, flowId: r.flowId, queueId: r.queueId,
    key: { source: r.source as "submission" | "payload", ...(r.path !== null ? { path: r.path } : {}) },
    limit: r.limit, rateLimit: rateView(r), overrides: r._count.overrides, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

export async function listKeyRules(prisma: PrismaClient, orgId: string, filter: { flowId?: string; queueId?: string } = {}) {
  const rows = await prisma.concurrencyKeyRule.findMany({ where: { orgId, ...filter }, select, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(ruleView);
}

export async function getKeyRule(prisma: Prisma.TransactionClient, orgId: string, ruleId: string) {
  const row = await prisma.concurrencyKeyRule.findFirst({ where: { id: ruleId, orgId }, select });
  if (!row) throw notFound("Key rule");
  return ruleView(row);
}

export async function createKeyRule(prisma: PrismaClient, orgId: string, input: z.infer<typeof keyRuleCreate>, actor: string) {
  if (input.flowId && !(await prisma.flow.findFirst({ where: { id: input.flowId, orgId }, select: { id: true } }))) {
    throw validationFailed([{ field: "flowId", message: "no such flow in this organization" }]);
  }
  if (input.queueId && !(await prisma.queue.findFirst({ where: { id: input.queueId, orgId }, select: { id: true } }))) {
    throw validationFailed([{ field: "queueId", message: "no such queue in this organization" }]);
  }
  try {
    return await prisma.$transaction(async (tx) => {
      if ((await tx.concurrencyKeyRule.count({ where: { orgId } })) >= MAX_RULES_PER_ORG) {
        throw conflict("too_many_rules", `An organization has at most ${MAX_RULES_PER_ORG} concurrency key rules.`);
      }
      const row = await tx.concurrencyKeyRule.create({
        data: {
          orgId, name: input.name, flowId: input.flowId ?? null, queueId: input.queueId ?? null,
          source: input.key.source, path: input.key.path ?? null, limit: input.limit ?? null, ...rateColumns(input.rateLimit),
        },
        select,
      });
      await recordAudit(tx, { orgId, actor, action: "key_rule.create", entityType: "key_rule", entityId: row.id, entityName: row.name, before: null, after: input });
      return ruleView(row);
    });
  } catch (error) {
    translatePrismaError(error, "key rule");
  }
}

export async function updateKeyRule(prisma: PrismaClient, orgId: string, ruleId: string, input: z.infer<typeof keyRuleUpdate>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await getKeyRule(tx, orgId, ruleId);
      const limitAfter = input.limit === undefined ? before.limit : input.limit;
      const rateAfter = input.rateLimit === undefined ? before.rateLimit : input.rateLimit;
      if (limitAfter === null && rateAfter === null) throw validationFailed([{ field: input.limit === null ? "limit" : "rateLimit", message: "a rule limits something: keep limit or rateLimit" }]);
      const after = ruleView(
        await tx.concurrencyKeyRule.update({
          where: { id: ruleId },
          data: { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.limit !== undefined ? { limit: input.limit } : {}), ...rateColumns(input.rateLimit) },
          select,
        }),
      );
      const diff = changedFields(before, after, Object.keys(input));
      if (diff) await recordAudit(tx, { orgId, actor, action: "key_rule.update", entityType: "key_rule", entityId: ruleId, entityName: after.name, ...diff });
      return after;
    });
  } catch (error) {
    translatePrismaError(error, "key rule");
  }
}

/** Executions keep the keys they carry; with the rule gone, its limits no longer hold them back. */
export async function deleteKeyRule(prisma: PrismaClient, orgId: string, ruleId: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await getKeyRule(tx, orgId, ruleId);
    await tx.concurrencyKeyRule.delete({ where: { id: ruleId } });
    await recordAudit(tx, { orgId, actor, action: "key_rule.delete", entityType: "key_rule", entityId: ruleId, entityName: before.name, before, after: null });
  });
}

export async function listKeyOverrides(prisma: PrismaClient, orgId: string, ruleId: string) {
  await getKeyRule(prisma, orgId, ruleId);
  const items = await prisma.concurrencyKeyOverride.findMany({ where: { ruleId }, select: { keyValue: true, limit: true, createdAt: true }, orderBy: { keyValue: "asc" } });
  return { ruleId, items: items.map((o) => ({ key: o.keyValue, limit: o.limit, createdAt: o.createdAt })) };
}

/** Gives one key its own limit (created or replaced). */
export async function putKeyOverride(prisma: PrismaClient, orgId: string, ruleId: string, input: z.infer<typeof keyOverrideWrite>, actor: string) {
  return prisma.$transaction(async (tx) => {
    const rule = await getKeyRule(tx, orgId, ruleId);
    const where = { ruleId_keyValue: { ruleId, keyValue: input.key } };
    const before = await tx.concurrencyKeyOverride.findUnique({ where, select: { limit: true } });
    const row = await tx.concurrencyKeyOverride.upsert({ where, create: { ruleId, keyValue: input.key, limit: input.limit }, update: { limit: input.limit }, select: { keyValue: true, limit: true, createdAt: true } });
    if (before?.limit !== input.limit) {
      await recordAudit(tx, { orgId, actor, action: "key_override.put", entityType: "key_rule", entityId: ruleId, entityName: rule.name, before: before ? { key: input.key, limit: before.limit } : null, after: input });
    }
    return { key: row.keyValue, limit: row.limit, createdAt: row.createdAt };
  });
}

export async function deleteKeyOverride(prisma: PrismaClient, orgId: string, ruleId: string, key: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const rule = await getKeyRule(tx, orgId, ruleId);
    const found = await tx.concurrencyKeyOverride.findUnique({ where: { ruleId_keyValue: { ruleId, keyValue: key } }, select: { limit: true } });
    if (!found) throw notFound("Override");
    await tx.concurrencyKeyOverride.delete({ where: { ruleId_keyValue: { ruleId, keyValue: key } } });
    await recordAudit(tx, { orgId, actor, action: "key_override.delete", entityType: "key_rule", entityId: ruleId, entityName: rule.name, before: { key, limit: found.limit }, after: null });
  });
}
