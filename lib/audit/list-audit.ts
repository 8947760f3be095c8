import { z } from "zod";
import type { PrismaClient } from "../db/client";

export const listAuditQuery = z.strictObject({
  orgId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

/** Newest first, scoped to the caller's orgs (platform-wide entries only for platform admins). */
export async function listAudit(prisma: PrismaClient, scope: readonly string[] | "all", query: z.infer<typeof listAuditQuery>) {
  const orgFilter = query.orgId ? { orgId: query.orgId } : scope === "all" ? {} : { orgId: { in: [...scope] } };
  const rows = await prisma.auditEvent.findMany({
    where: { ...orgFilter, ...(query.before ? { id: { lt: BigInt(query.before) } } : {}) },
    orderBy: { id: "desc" },
    take: query.limit + 1,
    include: { org: { select: { name: true } } },
  });
  const page = rows.slice(0, query.limit);
  return {
    // The org's name too, so a platform-wide log reads without a second lookup per row.
    items: page.map(({ org, ...r }) => ({ ...r, id: Number(r.id), orgName: org?.name ?? null })),
    nextBefore: rows.length > query.limit ? Number(page.at(-1)!.id) : null,
  };
}
