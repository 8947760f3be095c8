import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../lib/users/users";
import { auth, createAuth } from "../../lib/auth/auth";
import { authenticate, authorize, orgScope, type Need, type Principal } from "../../lib/auth/principal";
import { hashToken, mintToken, revokeToken, verifyToken } from "../../lib/auth/tokens";
import { prisma } from "../../lib/db/client";
import { isAppError } from "../../lib/core/errors";

// API tokens, who a request is (Bearer token or session cookie), and the one authorization
// rule: a tenant asking about an org they do not belong to gets 404 (the org's existence is
// not revealed); one who belongs but lacks the role gets 403; nobody gets 401.

const PASSWORD = "auth-test-password";
let orgA: string;
let orgB: string;

beforeAll(async () => {
  orgA = (await prisma().organization.create({ data: { name: "Org A", slug: "org-a" } })).id;
  orgB = (await prisma().organization.create({ data: { name: "Org B", slug: "org-b" } })).id;
  await createUser(prisma(), { email: "admin@a.dev", password: PASSWORD, org: "org-a", role: "admin" });
  await createUser(prisma(), { email: "member@a.dev", password: PASSWORD, org: "org-a", role: "member" });
  await createUser(prisma(), { email: "member@b.dev", password: PASSWORD, org: "org-b", role: "member" });
  await createUser(prisma(), { email: "ops@slotwise.dev", password: PASSWORD }, { platformAdmin: true });
});

const userId = async (email: string) => (await prisma().user.findUniqueOrThrow({ where: { email } })).id;
const bearer = (token: string) => new Request("http://localhost/api/x", { headers: { authorization: `Bearer ${token}` } });

/** Signs in through better-auth and returns the Cookie header a browser would send back. */
async function sessionCookie(email: string): Promise<string> {
  const { headers } = await auth().api.signInEmail({ body: { email, password: PASSWORD }, returnHeaders: true });
  return headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

describe("API tokens", () => {
  it("mints sw_ + 32 random bytes and stores only the SHA-256 and a short prefix", async () => {
    const { id, token } = await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "ops" });
    expect(token).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.hash).toBe(hashToken(token));
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token.startsWith(row.prefix)).toBe(true);
    expect(row.prefix.length).toBeLessThan(12);
  });

  it("verifies a token to its kind and scope", async () => {
    const { id, token } = await mintToken(prisma(), { kind: "WORKER", name: "w", orgId: orgA });
    expect(await verifyToken(prisma(), token)).toEqual({ id, kind: "WORKER", name: "w", orgId: orgA, userId: null });
  });

  it("rejects unknown, malformed and revoked tokens", async () => {
    const { id, token } = await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "soon revoked" });
    expect(await verifyToken(prisma(), `${token}x`)).toBeNull();
    expect(await verifyToken(prisma(), "sw_unknown")).toBeNull();
    expect(await verifyToken(prisma(), token.slice(3))).toBeNull();
    expect(await verifyToken(prisma(), `sw_${"a".repeat(500)}`)).toBeNull();
    await revokeToken(prisma(), id);
    expect(await verifyToken(prisma(), token)).toBeNull();
  });

  it("records lastUsedAt at most once a minute", async () => {
    const { id, token } = await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "used" });
    await verifyToken(prisma(), token);
    expect((await prisma().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeInstanceOf(Date);
    await prisma().apiToken.update({ where: { id }, data: { lastUsedAt: null } });
    await verifyToken(prisma(), token);
    expect((await prisma().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toBeNull();
  });
});

describe("authenticate()", () => {
  it("turns each kind of Bearer token into its principal", async () => {
    const platform = await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: "ops" });
    expect(await authenticate(bearer(platform.token))).toEqual({ kind: "platform_token", tokenId: platform.id, name: "ops" });

    const worker = await mintToken(prisma(), { kind: "WORKER", name: "all", orgId: null });
    expect(await authenticate(bearer(worker.token))).toEqual({ kind: "worker", tokenId: worker.id, name: "all", orgId: null });

    const user = await mintToken(prisma(), { kind: "USER", name: "cli", userId: await userId("member@a.dev") });
    expect(await authenticate(bearer(user.token))).toMatchObject({
      kind: "user",
      email: "member@a.dev",
      platformAdmin: false,
      memberships: [{ orgId: orgA, role: "MEMBER" }],
    });
  });

  it("reads the better-auth session cookie", async () => {
    const cookie = await sessionCookie("ops@slotwise.dev");
    expect(cookie).toMatch(/session_token=/);
    const principal = await authenticate(new Request("http://localhost/api/x", { headers: { cookie } }));
    expect(principal).toMatchObject({ kind: "user", email: "ops@slotwise.dev", platformAdmin: true, memberships: [] });
  });

  it("a bad Bearer token is anonymous even next to a valid session cookie", async () => {
    const cookie = await sessionCookie("member@a.dev");
    expect(await authenticate(new Request("http://localhost/api/x", { headers: { cookie, authorization: "Bearer sw_nope" } }))).toBeNull();
    expect(await authenticate(new Request("http://localhost/api/x", { headers: { cookie, authorization: "Basic abc" } }))).toBeNull();
  });

  it("no credentials, a forged cookie, or a revoked token: anonymous", async () => {
    expect(await authenticate(new Request("http://localhost/api/x"))).toBeNull();
    expect(await authenticate(new Request("http://localhost/api/x", { headers: { cookie: "better-auth.session_token=forged.value" } }))).toBeNull();
    const { id, token } = await mintToken(prisma(), { kind: "USER", name: "gone", userId: await userId("member@a.dev") });
    await revokeToken(prisma(), id);
    expect(await authenticate(bearer(token))).toBeNull();
  });
});

describe("better-auth configuration", () => {
  it("has no public sign-up", async () => {
    await expect(auth().api.signUpEmail({ body: { email: "new@x.dev", password: "whatever-pass", name: "New" } })).rejects.toThrow();
    expect(await prisma().user.findUnique({ where: { email: "new@x.dev" } })).toBeNull();
  });

  it("never lets a user make themselves platform admin", async () => {
    const cookie = await sessionCookie("member@b.dev");
    await expect(auth().api.updateUser({ headers: new Headers({ cookie }), body: { name: "Mallory", platformAdmin: true } as never })).rejects.toThrow(
      /platformAdmin is not allowed/,
    );
    expect(await prisma().user.findUniqueOrThrow({ where: { email: "member@b.dev" } })).toMatchObject({ name: "member", platformAdmin: false });
    // The same session may still change what it is allowed to change.
    await auth().api.updateUser({ headers: new Headers({ cookie }), body: { name: "Bea" } });
    expect((await prisma().user.findUniqueOrThrow({ where: { email: "member@b.dev" } })).name).toBe("Bea");
  });

  it("counts sign-in attempts in the database, so every app process enforces one limit", async () => {
    // Two instances take turns, as two processes would. (In one process they would also share
    // better-auth's in-memory store; what makes the limit hold across processes is the row.)
    const processes = [createAuth({ rateLimit: true }), createAuth({ rateLimit: true })];
    const attempt = (i: number) =>
      processes[i % 2]!.handler(new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
        body: JSON.stringify({ email: "member@a.dev", password: "not-the-password" }),
      }));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(i)).status);
    // better-auth allows three sign-ins per 10 s from one address.
    expect(statuses).toEqual([401, 401, 401, 429]);
    const rows = await prisma().rateLimit.findMany({ where: { key: { contains: "203.0.113.9" } } });
    expect(rows.map((r) => r.count)).toEqual([3]);
  });

  it("rejects a wrong password", async () => {
    await expect(auth().api.signInEmail({ body: { email: "member@a.dev", password: "not-the-password" } })).rejects.toThrow();
  });
});

describe("authorize()", () => {
  const user = (memberships: { orgId: string; role: "ADMIN" | "MEMBER" }[], platformAdmin = false): Principal => ({
    kind: "user", userId: "u", email: "u@x.dev", name: "u", platformAdmin, memberships,
  });
  type Outcome = "ok" | 401 | 403 | 404;

  function outcome(principal: Principal | null, need: Need): Outcome {
    try {
      authorize(principal, need);
      return "ok";
    } catch (error) {
      if (!isAppError(error)) throw error;
      return error.status as Outcome;
    }
  }

  it("follows the matrix for every kind of caller and need", () => {
    const callers: Record<string, Principal | null> = {
      anonymous: null,
      platformAdminUser: user([], true),
      platformToken: { kind: "platform_token", tokenId: "t", name: "ops" },
      adminA: user([{ orgId: orgA, role: "ADMIN" }]),
      memberA: user([{ orgId: orgA, role: "MEMBER" }]),
      memberB: user([{ orgId: orgB, role: "MEMBER" }]),
      adminB_memberA: user([{ orgId: orgB, role: "ADMIN" }, { orgId: orgA, role: "MEMBER" }]),
      workerA: { kind: "worker", tokenId: "w", name: "w", orgId: orgA },
      workerB: { kind: "worker", tokenId: "w", name: "w", orgId: orgB },
      workerAll: { kind: "worker", tokenId: "w", name: "w", orgId: null },
    };
    const needs: Record<string, Need> = {
      platformAdmin: { platformAdmin: true },
      orgMemberA: { orgMember: orgA },
      orgAdminA: { orgAdmin: orgA },
      orgExecutionsA: { orgExecutions: orgA },
      anyWorker: { worker: true },
      workerA: { worker: orgA },
    };
    const expected: Record<string, Outcome[]> = {
      //                 platformAdmin orgMemberA orgAdminA orgExecutionsA anyWorker workerA
      anonymous:         [401, 401, 401, 401, 401, 401],
      platformAdminUser: ["ok", "ok", "ok", "ok", 403, 403],
      platformToken:     ["ok", "ok", "ok", "ok", 403, 403],
      adminA:            [403, "ok", "ok", "ok", 403, 403],
      memberA:           [403, "ok", 403, "ok", 403, 403],
      memberB:           [403, 404, 404, 404, 403, 403],
      adminB_memberA:    [403, "ok", 403, "ok", 403, 403],
      workerA:           [403, 404, 404, "ok", "ok", "ok"],
      workerB:           [403, 404, 404, 404, "ok", 404],
      workerAll:         [403, 404, 404, "ok", "ok", "ok"],
    };
    const got = Object.fromEntries(Object.entries(callers).map(([who, p]) => [who, Object.values(needs).map((n) => outcome(p, n))]));
    expect(got).toEqual(expected);
  });

  it("cross-tenant: a member of org A gets 404 for org B, and 403 for an org-admin need in A", () => {
    const memberA = user([{ orgId: orgA, role: "MEMBER" }]);
    expect(() => authorize(memberA, { orgMember: orgB })).toThrow(expect.objectContaining({ status: 404, code: "not_found" }));
    expect(() => authorize(memberA, { orgAdmin: orgB })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => authorize(memberA, { orgAdmin: orgA })).toThrow(expect.objectContaining({ status: 403, code: "forbidden" }));
    // An org id that does not exist looks exactly like one that exists but is not yours.
    const missing = "00000000-0000-4000-8000-000000000000";
    let forOther: unknown, forMissing: unknown;
    try { authorize(memberA, { orgMember: orgB }); } catch (e) { forOther = e; }
    try { authorize(memberA, { orgMember: missing }); } catch (e) { forMissing = e; }
    expect(JSON.stringify(forMissing)).toBe(JSON.stringify(forOther));
    expect((forMissing as Error).message).toBe((forOther as Error).message);
  });

  it("orgScope lists what a principal may read", () => {
    expect(orgScope(user([], true))).toBe("all");
    expect(orgScope({ kind: "platform_token", tokenId: "t", name: "ops" })).toBe("all");
    expect(orgScope(user([{ orgId: orgA, role: "MEMBER" }, { orgId: orgB, role: "ADMIN" }]))).toEqual([orgA, orgB]);
    expect(orgScope(user([]))).toEqual([]);
    expect(orgScope({ kind: "worker", tokenId: "w", name: "w", orgId: orgA })).toEqual([orgA]);
    expect(orgScope({ kind: "worker", tokenId: "w", name: "w", orgId: null })).toBe("all");
  });
});
