import { z } from "zod";
import { auditEntityTypes } from "../contract/audit";
import type { Prisma, PrismaClient } from "../db/client";
import { currentNames, entityKey } from "./current-names";

/** "flow.update", or a family of actions such as "flow" (every flow.*) or "org.limits". */
const actionOrFamily = /^[a-z_]+(?:\.[a-z_]+)*$/;

export const listAuditQuery = z.strictObject({
  orgId: z.uuid().optional(),
  actor: z.string().trim().min(1).max(320).optional().describe("who, exactly as entries name them: an email, `token:<name>`, `cli`, `worker`…"),
  action: z
    .string()
    .max(100)
    .regex(actionOrFamily, "an action such as flow.update, or a family such as flow")
    .optional()
    .describe("what: one action (`flow.update`) or a family of them (`flow` matches every `flow.*`)"),
  entityType: z.enum(auditEntityTypes).optional().describe("the kind of object changed"),
  entityId: z.string().trim().min(1).max(200).optional().describe("one object's history, by its id"),
  q: z.string().trim().min(1).max(200).optional().describe("the object's name (as of the change) contains this, ignoring case"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

export type ListAuditQuery = z.infer<typeof listAuditQuery>;

/** Prisma passes `contains` and `startsWith` to LIKE as they are: a "%" or "_" is a character here, not a wildcard. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/** The caller's scope first, then each filter given; the cursor keeps its meaning under any of them. */
function auditWhere(scope: readonly string[] | "all", query: ListAuditQuery): Prisma.AuditEventWhereInput {
  const orgFilter = query.orgId ? { orgId: query.orgId } : scope === "all" ? {} : { orgId: { in: [...scope] } };
  return {
    ...orgFilter,
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.action ? { OR: [{ action: query.action }, { action: { startsWith: `${likeLiteral(query.action)}.` } }] } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.q ? { entityName: { contains: likeLiteral(query.q), mode: "insensitive" as const } } : {}),
    ...(query.before ? { id: { lt: BigInt(query.before) } } : {}),
  };
}

/** Newest first, scoped to the caller's orgs (platform-wide entries only for platform admins). */
export async function listAudit(prisma: PrismaClient, scope: readonly string[] | "all", query: ListAuditQuery) {
  const rows = await prisma.auditEvent.findMany({
    where: auditWhere(scope, query),
    orderBy: { id: "desc" },
    take: query.limit + 1,
    include: { org: { select: { name: true } } },
  });
  const page = rows.slice(0, query.limit);
  const now = await currentNames(prisma, page);
  return {
    // The org's name too, so a platform-wide log reads without a second lookup per row.
    items: page.map(({ org, ...r }) => {
      const nameNow = now.get(entityKey(r.entityType, r.entityId));
      return { ...r, id: Number(r.id), orgName: org?.name ?? null, entityNameNow: nameNow !== undefined && nameNow !== r.entityName ? nameNow : null };
    }),
    nextBefore: rows.length > query.limit ? Number(page.at(-1)!.id) : null,
  };
}
