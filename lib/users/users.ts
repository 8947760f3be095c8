import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { conflict, notFound, validationFailed } from "../core/errors";
import type { Prisma, PrismaClient } from "../db/client";

// Operator actions on people, shared by the CLI and the demo seed. Passwords are hashed with
// better-auth's own hasher and stored as its "credential" account, so the users can sign in
// through better-auth even though public sign-up is off.

export const newUser = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  name: z.string().trim().min(1).max(120).optional(),
  org: z.string().trim().min(1).optional(),
  role: z.enum(["admin", "member"]).optional(),
});

export type NewUser = z.input<typeof newUser>;
type Db = PrismaClient | Prisma.TransactionClient;

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(result.error.issues.map((i) => ({ field: i.path.join(".") || "(input)", message: i.message })));
  return result.data;
}

export async function orgBySlug(db: Db, slug: string) {
  const org = await db.organization.findUnique({ where: { slug }, select: { id: true } });
  if (!org) throw notFound(`Organization "${slug}"`);
  return org;
}

/** The rows of one person: user, better-auth credential account, optional membership. */
export async function insertUser(
  db: Db,
  user: { email: string; name: string; passwordHash: string; platformAdmin?: boolean; membership?: { orgId: string; role: "ADMIN" | "MEMBER" } },
) {
  const id = randomUUID();
  const created = await db.user.create({
    data: { id, email: user.email, name: user.name, emailVerified: true, platformAdmin: user.platformAdmin ?? false },
    select: { id: true, email: true, platformAdmin: true },
  });
  await db.account.create({ data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: user.passwordHash } });
  if (user.membership) await db.membership.create({ data: { userId: id, ...user.membership } });
  return created;
}

/** Validates, checks the org and that the email is free, then writes everything in one transaction. */
export async function createUser(prisma: PrismaClient, input: NewUser, options: { platformAdmin?: boolean } = {}) {
  const user = parseOrThrow(newUser, input);
  if (user.role && !user.org) throw validationFailed([{ field: "role", message: "needs --org" }]);
  const org = user.org ? await orgBySlug(prisma, user.org) : null;
  if (await prisma.user.findUnique({ where: { email: user.email } })) throw conflict("already_exists", `A user with email ${user.email} already exists.`);
  const passwordHash = await hashPassword(user.password);
  return prisma.$transaction((tx) =>
    insertUser(tx, {
      email: user.email,
      name: user.name ?? user.email.split("@")[0]!,
      passwordHash,
      platformAdmin: options.platformAdmin,
      membership: org ? { orgId: org.id, role: user.role === "admin" ? "ADMIN" : "MEMBER" } : undefined,
    }),
  );
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
