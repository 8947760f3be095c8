import { jwtVerify, errors as joseErrors } from "jose";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { AppError, conflict, unauthenticated } from "../core/errors";
import { Prisma, type PrismaClient } from "../db/client";
import { upsertPoolByKey } from "../projects/pools";
import { translatePrismaError } from "../db/prisma-errors";

// Embedding provisioning (POST /api/embed/provision): a platform that embeds Slotwise signs
// a JWT (HS256) with the platform's embedding key; its claims create or update a user and a
// project, and concurrencyPoolKey + concurrencyPoolLimit put the project in that shared pool.
// Verification uses `jose` (signature, algorithm, expiry).

export const provisionClaims = z.object({
  orgId: z.uuid(),
  externalUserId: z.string().min(1).max(200),
  email: z.email(),
  name: z.string().min(1).max(200).optional(),
  role: z.enum(["ADMIN", "MEMBER"]).default("MEMBER"),
  externalProjectId: z.string().min(1).max(200),
  projectName: z.string().min(1).max(120),
  maxConcurrentJobs: z.number().int().min(0).max(1_000_000).nullable().optional(),
  concurrencyPoolKey: z.string().min(1).max(120).optional(),
  concurrencyPoolLimit: z.number().int().min(1).max(1_000_000).optional(),
}).refine((c) => (c.concurrencyPoolKey === undefined) === (c.concurrencyPoolLimit === undefined), {
  message: "concurrencyPoolKey and concurrencyPoolLimit go together",
  path: ["concurrencyPoolLimit"],
});

export type ProvisionClaims = z.infer<typeof provisionClaims>;

export async function verifyProvisionToken(token: string, secret: string): Promise<ProvisionClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"], requiredClaims: ["exp"] }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw unauthenticated();
    throw error;
  }
  const parsed = provisionClaims.safeParse(payload);
  if (!parsed.success) {
    throw new AppError(422, "validation_failed", "The token's claims are not valid.", {
      errors: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(claims)", message: i.message })),
    });
  }
  return parsed.data;
}

export async function provision(prisma: PrismaClient, claims: ProvisionClaims) {
  const actor = `embed:${claims.externalUserId}`;
  return prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: claims.orgId }, select: { id: true } });
    if (!org) throw new AppError(422, "validation_failed", "No such organization.", { errors: [{ field: "orgId", message: "no such organization" }] });
    // The external user id is the identity (user id `embed_<externalUserId>`); its email may
    // change, but never to one another account has.
    const userId = `embed_${claims.externalUserId}`;
    const email = claims.email.toLowerCase();
    const owner = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (owner && owner.id !== userId) throw conflict("already_exists", "That email belongs to another user.");
    const user = await tx.user
      .upsert({
        where: { id: userId },
        create: { id: userId, email, name: claims.name ?? email, emailVerified: true },
        update: { email, ...(claims.name ? { name: claims.name } : {}) },
        select: { id: true, email: true },
      })
      .catch((error: unknown) => {
        // The email was taken between the check and the write.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw conflict("already_exists", "That email belongs to another user.");
        throw error;
      });
    await tx.membership.upsert({
      where: { userId_orgId: { userId: user.id, orgId: claims.orgId } },
      create: { userId: user.id, orgId: claims.orgId, role: claims.role },
      update: { role: claims.role },
    });
    const poolId = claims.concurrencyPoolKey
      ? await upsertPoolByKey(tx, claims.orgId, claims.concurrencyPoolKey, claims.concurrencyPoolLimit!, actor)
      : undefined;
    const fields = {
      name: claims.projectName,
      ...(claims.maxConcurrentJobs !== undefined ? { maxConcurrentJobs: claims.maxConcurrentJobs } : {}),
      ...(poolId !== undefined ? { poolId } : {}),
    };
    const before = await tx.project.findUnique({ where: { orgId_externalId: { orgId: claims.orgId, externalId: claims.externalProjectId } }, select: { name: true, maxConcurrentJobs: true, poolId: true } });
    const project = await tx.project
      .upsert({
        where: { orgId_externalId: { orgId: claims.orgId, externalId: claims.externalProjectId } },
        create: { orgId: claims.orgId, externalId: claims.externalProjectId, ...fields },
        update: fields,
        select: { id: true, name: true, maxConcurrentJobs: true, poolId: true },
      })
      .catch((error: unknown) => translatePrismaError(error, "project")); // a name another project has
    await recordAudit(tx, { orgId: claims.orgId, actor, action: before ? "project.update" : "project.create", entityType: "project", entityId: project.id, entityName: project.name, before, after: fields });
    return { user, project, poolId: project.poolId };
  });
}
