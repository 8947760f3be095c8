import { z } from "zod";
import { changedFields, recordAudit } from "../audit/record-audit";
import { notFound, validationFailed } from "../core/errors";
import type { Prisma, PrismaClient } from "../db/client";
import { deleteWithLiveExecutions } from "../dispatch/delete-with-live-executions";
import { loadOrgUsage, projectUsage } from "./project-usage";
import { limit, name } from "../core/fields";
import { translatePrismaError } from "../db/prisma-errors";
import type { Db } from "../db/transaction";

/** Projects: Max Concurrent Jobs (null = the platform default) and shared pool membership. */
export const projectCreate = z.strictObject({
  name,
  maxConcurrentJobs: limit.nullable().optional(),
  poolId: z.uuid().nullable().optional(),
  defaultQueueId: z.uuid().nullable().optional(),
});
export const projectUpdate = projectCreate.partial();

export type ProjectCreate = z.infer<typeof projectCreate>;
export type ProjectUpdate = z.infer<typeof projectUpdate>;

const select = { id: true, orgId: true, name: true, maxConcurrentJobs: true, poolId: true, defaultQueueId: true, externalId: true, createdAt: true, updatedAt: true } as const;

async function checkRefs(prisma: PrismaClient, orgId: string, input: ProjectUpdate) {
  if (input.poolId && !(await prisma.concurrencyPool.findFirst({ where: { id: input.poolId, orgId } }))) {
    throw validationFailed([{ field: "poolId", message: "no such pool in this organization" }]);
  }
  if (input.defaultQueueId && !(await prisma.queue.findFirst({ where: { id: input.defaultQueueId, orgId } }))) {
    throw validationFailed([{ field: "defaultQueueId", message: "no such queue in this organization" }]);
  }
}

/** Projects as read: the configuration plus live usage (project-usage.ts). */
export async function listProjects(prisma: PrismaClient, orgId: string) {
  const [projects, usage] = await Promise.all([prisma.project.findMany({ where: { orgId }, select, orderBy: { name: "asc" } }), loadOrgUsage(prisma, orgId)]);
  return projects.map((p) => ({ ...p, ...projectUsage(p, usage) }));
}

/** One project as the list shows it; also the reply of its create and update, read in their transaction. */
export async function getProject(prisma: Prisma.TransactionClient, orgId: string, projectId: string) {
  const project = await prisma.project.findFirst({ where: { id: projectId, orgId }, select });
  if (!project) throw notFound("Project");
  return { ...project, ...projectUsage(project, await loadOrgUsage(prisma, orgId)) };
}

export async function createProject(prisma: PrismaClient, orgId: string, input: ProjectCreate, actor: string) {
  await checkRefs(prisma, orgId, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const project = await tx.project.create({ data: { ...input, orgId }, select: { id: true } });
      await recordAudit(tx, { orgId, actor, action: "project.create", entityType: "project", entityId: project.id, entityName: input.name, before: null, after: input });
      return getProject(tx, orgId, project.id);
    });
  } catch (error) {
    translatePrismaError(error, "project");
  }
}

export async function updateProject(prisma: PrismaClient, orgId: string, projectId: string, input: ProjectUpdate, actor: string) {
  await checkRefs(prisma, orgId, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.project.findFirst({ where: { id: projectId, orgId }, select });
      if (!before) throw notFound("Project");
      await tx.project.update({ where: { id: projectId }, data: input });
      const diff = changedFields(before, input);
      if (diff) await recordAudit(tx, { orgId, actor, action: "project.update", entityType: "project", entityId: projectId, entityName: input.name ?? before.name, ...diff });
      return getProject(tx, orgId, projectId);
    });
  } catch (error) {
    translatePrismaError(error, "project");
  }
}

export async function deleteProject(db: Db, orgId: string, projectId: string, actor: string) {
  return deleteWithLiveExecutions(db, { table: "project", scope: { projectId }, orgId, id: projectId, actor });
}
