import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { conflict, notFound, validationFailed } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";

/**
 * Operator actions on people, shared by the CLI and the demo seed. Passwords are hashed with
 * better-auth's own hasher and stored as its "credential" account, so the users can sign in
 * through better-auth even though public sign-up is off.
 */
export const newUser = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  name: z.string().trim().min(1).max(120).optional(),
  org: z.string().trim().min(1).optional(),
  role: z.enum(["admin", "member"]).optional(),
});

export type NewUser = z.input<typeof newUser>;

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(result.error.issues.map((i) => ({ field: i.path.join(".") || "(input)", message: i.message })));
  return result.data;
}

async function orgBySlug(prisma: PrismaClient, slug: string) {
  const org = await prisma.organization.findUnique({ where: { slug }, select: { id: true } });
  if (!org) throw notFound(`Organization "${slug}"`);
  return org;
}

export async function createUser(prisma: PrismaClient, input: NewUser, options: { platformAdmin?: boolean } = {}) {
  const user = parseOrThrow(newUser, input);
  if (user.role && !user.org) throw validationFailed([{ field: "role", message: "needs --org" }]);
  const org = user.org ? await orgBySlug(prisma, user.org) : null;
  if (await prisma.user.findUnique({ where: { email: user.email } })) throw conflict("already_exists", `A user with email ${user.email} already exists.`);
  const id = randomUUID();
  const password = await hashPassword(user.password);
  return prisma.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { id, email: user.email, name: user.name ?? user.email.split("@")[0]!, emailVerified: true, platformAdmin: options.platformAdmin ?? false },
      select: { id: true, email: true, platformAdmin: true },
    });
    await tx.account.create({ data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password } });
    if (org) await tx.membership.create({ data: { userId: id, orgId: org.id, role: user.role === "admin" ? "ADMIN" : "MEMBER" } });
    return created;
  });
}

export async function grantPlatformAdmin(prisma: PrismaClient, email: string) {
  const parsed = parseOrThrow(z.email(), email).toLowerCase();
  const user = await prisma.user.findUnique({ where: { email: parsed } });
  if (!user) throw notFound(`User ${parsed}`);
  return prisma.user.update({ where: { id: user.id }, data: { platformAdmin: true }, select: { email: true, platformAdmin: true } });
}

export async function userIdByEmail(prisma: PrismaClient, email: string): Promise<string> {
  const parsed = parseOrThrow(z.email(), email).toLowerCase();
  const user = await prisma.user.findUnique({ where: { email: parsed }, select: { id: true } });
  if (!user) throw notFound(`User ${parsed}`);
  return user.id;
}

export { orgBySlug };
