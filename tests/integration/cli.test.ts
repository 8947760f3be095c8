import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT, runCli } from "../../tooling/cli/cli";
import { auth } from "../../lib/auth/auth";
import { hashToken, verifyToken } from "../../lib/auth/tokens";
import { prisma } from "../../lib/db/client";

// The operator CLI against a real database: each command's effect, and for every kind of bad
// input exit code 2, a message naming the problem, and no change at all.

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(prisma(), argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Everything the CLI can write. */
async function snapshot() {
  const db = prisma();
  return {
    users: await db.user.findMany({ select: { email: true, name: true, platformAdmin: true }, orderBy: { email: "asc" } }),
    accounts: await db.account.findMany({ select: { userId: true, providerId: true, password: true }, orderBy: { userId: "asc" } }),
    memberships: await db.membership.findMany({ select: { userId: true, orgId: true, role: true }, orderBy: [{ userId: "asc" }, { orgId: "asc" }] }),
    tokens: await db.apiToken.findMany({ select: { id: true, kind: true, userId: true, orgId: true, revokedAt: true }, orderBy: { id: "asc" } }),
  };
}

let acmeId: string;
beforeAll(async () => {
  acmeId = (await prisma().organization.create({ data: { name: "Acme Corp", slug: "acme" } })).id;
  await prisma().organization.create({ data: { name: "Beta Inc", slug: "beta" } });
  expect((await cli("user", "create", "--email", "existing@acme.dev", "--password", "existing-pass")).code).toBe(EXIT.ok);
});

describe("user create", () => {
  it("creates a person who can sign in through better-auth, with an org role", async () => {
    const result = await cli("user", "create", "--email", "Ada@Acme.dev", "--password", "correct-horse", "--name", "Ada", "--org", "acme", "--role", "admin");
    expect(result).toMatchObject({ code: EXIT.ok, out: "Created user ada@acme.dev (admin of acme)." });
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "ada@acme.dev" }, include: { memberships: true, accounts: true } });
    expect(user).toMatchObject({ name: "Ada", platformAdmin: false });
    expect(user.memberships).toEqual([expect.objectContaining({ orgId: acmeId, role: "ADMIN" })]);
    expect(user.accounts[0]!.password).not.toContain("correct-horse");

    const session = await auth().api.signInEmail({ body: { email: "ada@acme.dev", password: "correct-horse" } });
    expect(session.user.email).toBe("ada@acme.dev");
    await expect(auth().api.signInEmail({ body: { email: "ada@acme.dev", password: "wrong-horse" } })).rejects.toThrow();
  });

  it("makes a plain member when --role is left out", async () => {
    expect((await cli("user", "create", "--email", "bob@acme.dev", "--password", "12345678", "--org", "acme")).code).toBe(EXIT.ok);
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "bob@acme.dev" }, include: { memberships: true } });
    expect(user.memberships.map((m) => m.role)).toEqual(["MEMBER"]);
  });
});

describe("user grant-admin", () => {
  it("makes an existing user a platform admin", async () => {
    const result = await cli("user", "grant-admin", "--email", "existing@acme.dev");
    expect(result).toMatchObject({ code: EXIT.ok, out: "existing@acme.dev is now a platform administrator." });
    expect((await prisma().user.findUniqueOrThrow({ where: { email: "existing@acme.dev" } })).platformAdmin).toBe(true);
  });
});

describe("token create", () => {
  it("prints a platform-admin token once and stores only its hash", async () => {
    const result = await cli("token", "create", "--platform-admin", "--name", "ops");
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    expect(result.err).toMatch(/not shown again/);
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { hash: hashToken(result.out) } });
    expect(row).toMatchObject({ kind: "PLATFORM_ADMIN", name: "ops", userId: null, orgId: null });
    expect(JSON.stringify(row)).not.toContain(result.out);
    expect(await verifyToken(prisma(), result.out)).toMatchObject({ kind: "PLATFORM_ADMIN" });
  });

  it("mints a token that acts as a user", async () => {
    const result = await cli("token", "create", "--user", "existing@acme.dev");
    expect(result.code).toBe(EXIT.ok);
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "existing@acme.dev" } });
    expect(await verifyToken(prisma(), result.out)).toMatchObject({ kind: "USER", userId: user.id, orgId: null });
  });

  it("mints worker tokens for one org or for every org", async () => {
    const scoped = await cli("token", "create", "--worker", "--org", "acme");
    expect(await verifyToken(prisma(), scoped.out)).toMatchObject({ kind: "WORKER", orgId: acmeId, userId: null });
    const everywhere = await cli("token", "create", "--worker");
    expect(await verifyToken(prisma(), everywhere.out)).toMatchObject({ kind: "WORKER", orgId: null });
  });
});

describe("help", () => {
  it.each([[[]], [["--help"]], [["user", "--help"]], [["token"]], [["user", "create", "--help"]], [["user", "grant-admin", "--help"]], [["token", "create", "--help"]]])(
    "%j prints usage and exits 0",
    async (argv) => {
      const result = await cli(...argv);
      expect(result.code).toBe(EXIT.ok);
      expect(result.out).toMatch(/Usage/);
    },
  );
});

describe("bad input: exit 2, a clear message, nothing changed", () => {
  const cases: [string, string[], RegExp][] = [
    ["unknown command", ["user", "delete", "--email", "a@b.dev"], /unknown command "user delete"/],
    ["unknown group", ["frobnicate"], /unknown command "frobnicate"/],
    ["unknown flag", ["user", "create", "--email", "x@acme.dev", "--password", "12345678", "--admin"], /Unknown option '--admin'/],
    ["stray word", ["user", "create", "x@acme.dev"], /positional argument/],
    ["flag without a value", ["user", "create", "--email"], /argument missing/],
    ["missing email", ["user", "create", "--password", "12345678"], /--email: is required/],
    ["missing password", ["user", "create", "--email", "x@acme.dev"], /--password: is required/],
    ["bad email", ["user", "create", "--email", "not-an-email", "--password", "12345678"], /--email: must be an email address/],
    ["short password", ["user", "create", "--email", "x@acme.dev", "--password", "1234567"], /--password: must be at least 8 characters/],
    ["bad role", ["user", "create", "--email", "x@acme.dev", "--password", "12345678", "--org", "acme", "--role", "owner"], /--role/],
    ["role without org", ["user", "create", "--email", "x@acme.dev", "--password", "12345678", "--role", "admin"], /--role: needs --org/],
    ["unknown org", ["user", "create", "--email", "x@acme.dev", "--password", "12345678", "--org", "nope"], /Organization "nope" not found/],
    ["duplicate email", ["user", "create", "--email", "EXISTING@acme.dev", "--password", "12345678"], /already exists/],
    ["grant-admin unknown user", ["user", "grant-admin", "--email", "ghost@acme.dev"], /User ghost@acme.dev not found/],
    ["grant-admin bad email", ["user", "grant-admin", "--email", "ghost"], /--email/],
    ["token without a kind", ["token", "create"], /exactly one of/],
    ["token with two kinds", ["token", "create", "--platform-admin", "--worker"], /exactly one of/],
    ["token --org without --worker", ["token", "create", "--platform-admin", "--org", "acme"], /--org: goes with --worker/],
    ["token for an unknown user", ["token", "create", "--user", "ghost@acme.dev"], /User ghost@acme.dev not found/],
    ["token for an unknown org", ["token", "create", "--worker", "--org", "nope"], /Organization "nope" not found/],
    ["token with a bad --user email", ["token", "create", "--user", "ghost"], /--user: must be an email address/],
  ];

  it.each(cases)("%s", async (_name, argv, message) => {
    const before = await snapshot();
    const result = await cli(...argv);
    expect(result.code).toBe(EXIT.badInput);
    expect(result.out).toBe("");
    expect(result.err).toMatch(/^error: /);
    expect(result.err).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });
});

describe("scripts/cli.ts", () => {
  it("exits with the command's code and prints to stderr", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "frobnicate"], { encoding: "utf8", env: process.env, timeout: 60_000 });
    expect(child.stderr).toMatch(/unknown command "frobnicate"/);
    expect(child.status).toBe(EXIT.badInput);
  });
});
