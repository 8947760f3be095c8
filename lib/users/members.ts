import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { conflict, notFound } from "../core/errors";
import { Prisma, type PrismaClient } from "../db/client";
import { insertUser } from "./users";

// An org's people (docs/operations.md, "Onboarding a tenant"): its admins and platform admins
// add someone by email with a role, change the role, or remove them. Slotwise sends no email:
// someone new gets an account with a password — the one given, or one made here and returned
// once, for the admin to hand over — and signs in with it.

const role = z.enum(["ADMIN", "MEMBER"]);

export const memberAdd = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  role: role.default("MEMBER"),
  /** For someone without an account yet; ignored when they have one. */
  name: z.string().trim().min(1).max(120).optional(),
  password: z.string().min(8, "must be at least 8 characters").max(200).optional(),
});
export const memberUpdate = z.strictObject({ role });

const select = { userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } } as const;
type Row = Prisma.MembershipGetPayload<{ select: typeof select }>;
const view = (m: Row) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, since: m.createdAt });

export async function listMembers(prisma: PrismaClient, orgId: string) {
  const rows = await prisma.membership.findMany({ where: { orgId }, select, orderBy: [{ role: "asc" }, { user: { email: "asc" } }] });
  return rows.map(view);
}

/** Adds the person with this email (creating their account when there is none); `initialPassword` only when one was made here. */
export async function addMember(prisma: PrismaClient, orgId: string, input: z.infer<typeof memberAdd>, actor: string) {
  const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const made = existing || input.password ? null : randomBytes(12).toString("base64url");
  const passwordHash = existing ? null : await hashPassword(input.password ?? made!);
  try {
    const member = await prisma.$transaction(async (tx) => {
      if (!(await tx.organization.findUnique({ where: { id: orgId }, select: { id: true } }))) throw notFound("Organization");
      const userId = existing?.id ?? (await insertUser(tx, { email: input.email, name: input.name ?? input.email.split("@")[0]!, passwordHash: passwordHash! })).id;
      const row = await tx.membership.create({ data: { orgId, userId, role: input.role }, select });
      await recordAudit(tx, { orgId, actor, action: "membership.create", entityType: "membership", entityId: userId, entityName: input.email, before: null, after: { email: input.email, role: input.role, newAccount: !existing } });
      return view(row);
    });
    return { ...member, newAccount: !existing, ...(made ? { initialPassword: made } : {}) };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw conflict("already_exists", `${input.email} is already a member of this organization, or the account was created at the same moment.`);
    }
    throw error;
  }
}

export async function updateMember(prisma: PrismaClient, orgId: string, userId: string, input: z.infer<typeof memberUpdate>, actor: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.membership.findUnique({ where: { userId_orgId: { userId, orgId } }, select });
    if (!before) throw notFound("Member");
    const after = await tx.membership.update({ where: { userId_orgId: { userId, orgId } }, data: { role: input.role }, select });
    if (before.role !== after.role) {
      await recordAudit(tx, { orgId, actor, action: "membership.update", entityType: "membership", entityId: userId, entityName: after.user.email, before: { email: before.user.email, role: before.role }, after: { email: after.user.email, role: after.role } });
    }
    return view(after);
  });
}

/** Removes the membership; the account stays (it may belong to other orgs). */
export async function removeMember(prisma: PrismaClient, orgId: string, userId: string, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const before = await tx.membership.findUnique({ where: { userId_orgId: { userId, orgId } }, select });
    if (!before) throw notFound("Member");
    await tx.membership.delete({ where: { userId_orgId: { userId, orgId } } });
    await recordAudit(tx, { orgId, actor, action: "membership.delete", entityType: "membership", entityId: userId, entityName: before.user.email, before: { email: before.user.email, role: before.role }, after: null });
  });
}
