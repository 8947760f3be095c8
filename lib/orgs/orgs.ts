import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import { limit, name } from "../core/fields";
import type { PrismaClient } from "../db/client";
import type { Db } from "../db/transaction";
import { translatePrismaError } from "../db/prisma-errors";
import { deleteWithLiveExecutions } from "../dispatch/delete-with-live-executions";

// Organizations themselves (docs/operations.md, "Onboarding a tenant"): platform admins create,
// rename and delete them. A new org is empty: its "default" queue is made by its first
// submission, projects and flows by its admins. Deleting one ends its live work first, as
// deleting a project or flow does (dispatch/delete-with-live-executions.ts).

/** Lower-case letters, digits and single hyphens: what the CLI's --org and URLs use. */
export const slug = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case letters, digits and single hyphens (like acme-eu)");

export const orgCreate = z.strictObject({
  name,
  /** Derived from the name when absent. */
  slug: slug.optional(),
  weight: z.number().int().min(1).max(1_000_000).optional(),
  maxConcurrency: limit.optional(),
});
export const orgRename = z
  .strictObject({ name: name.optional(), slug: slug.optional() })
  .refine((v) => v.name !== undefined || v.slug !== undefined, { message: "give name, slug or both" });

const select = { id: true, name: true, slug: true, weight: true, maxConcurrency: true, createdAt: true } as const;

/** "Acme EU (prod)" → "acme-eu-prod". */
export function slugFrom(text: string): string {
  const made = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return made || "org";
}

export async function getOrg(prisma: PrismaClient, orgId: string) {
  const org = await prisma.organization.findUnique({ where: { id: orgId }, select });
  if (!org) throw notFound("Organization");
  return org;
}

/**
 * The organizations a caller may see, by name. The scope (from `orgScope(principal)`) goes
 * into the where clause: a tenant's query cannot return another tenant's org.
 */
export async function listOrgs(prisma: PrismaClient, scope: string[] | "all") {
  return prisma.organization.findMany({ where: scope === "all" ? {} : { id: { in: scope } }, select, orderBy: { name: "asc" } });
}

export async function createOrg(prisma: PrismaClient, input: z.infer<typeof orgCreate>, actor: string) {
  const data = { ...input, slug: input.slug ?? slugFrom(input.name) };
  try {
    return await prisma.$transaction(async (tx) => {
      const org = await tx.organization.create({ data, select });
      await recordAudit(tx, { orgId: org.id, actor, action: "organization.create", entityType: "organization", entityId: org.id, entityName: org.name, before: null, after: data });
      return org;
    });
  } catch (error) {
    translatePrismaError(error, "organization", "the platform (slugs are unique)");
  }
}

export async function renameOrg(prisma: PrismaClient, orgId: string, input: z.infer<typeof orgRename>, actor: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.organization.findUnique({ where: { id: orgId }, select });
      if (!before) throw notFound("Organization");
      const after = await tx.organization.update({ where: { id: orgId }, data: input, select });
      const diff = changedFields(before, after, Object.keys(input));
      if (diff) await recordAudit(tx, { orgId, actor, action: "organization.update", entityType: "organization", entityId: orgId, entityName: after.name, ...diff });
      return after;
    });
  } catch (error) {
    translatePrismaError(error, "organization", "the platform (slugs are unique)");
  }
}

/** Ends the org's live executions (queued cancelled, running and paused killed), then deletes it with everything it owns. */
export async function deleteOrg(db: Db, orgId: string, actor: string): Promise<{ ended: number }> {
  return deleteWithLiveExecutions(db, { table: "organization", scope: { orgId }, orgId, id: orgId, actor });
}
