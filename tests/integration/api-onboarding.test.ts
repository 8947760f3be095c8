import { beforeAll, describe, expect, it } from "vitest";
import * as orgs from "../../app/api/orgs/route";
import * as orgId from "../../app/api/orgs/[orgId]/route";
import * as members from "../../app/api/orgs/[orgId]/members/route";
import * as member from "../../app/api/orgs/[orgId]/members/[userId]/route";
import * as orgTokens from "../../app/api/orgs/[orgId]/tokens/route";
import * as orgToken from "../../app/api/orgs/[orgId]/tokens/[tokenId]/route";
import * as platformTokens from "../../app/api/platform/tokens/route";
import * as register from "../../app/api/workers/register/route";
import * as flows from "../../app/api/orgs/[orgId]/flows/route";
import { verifyPassword } from "better-auth/crypto";
import { prisma } from "../../lib/db/client";
import { claimExecutions } from "../../lib/dispatch/claim";
import { submitExecution } from "../../lib/dispatch/submit";
import { createUser } from "../../lib/users/users";
import { apiWorld, call } from "./helpers/api";
import { db, worker } from "./helpers/fixtures";

// Onboarding a tenant from the API (docs/operations.md): a platform admin creates the org, its
// admin adds people and issues worker tokens, a platform admin deletes it with its live work.

type World = Awaited<ReturnType<typeof apiWorld>>;
let w: World;
beforeAll(async () => {
  w = await apiWorld("onboard");
});

const audit = (action: string, entityId: string) => prisma().auditEvent.findMany({ where: { action, entityId }, select: { orgId: true, actor: true, before: true, after: true } });

describe("organizations", () => {
  it("a platform admin creates one (slug from its name), renames it, and is refused a taken slug or a bad one; nobody else may", async () => {
    const created = await call(orgs.POST, "POST", "/api/orgs", { token: w.tokens.platformAdmin, body: { name: "Delta Corp (EU)", weight: 3 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Delta Corp (EU)", slug: "delta-corp-eu", weight: 3, maxConcurrency: 0 });
    expect(await audit("organization.create", created.json.id)).toHaveLength(1);

    // The CLI's `user create --org delta-corp-eu` finds it now.
    await expect(createUser(prisma(), { email: "first@delta.dev", password: "long-enough", org: "delta-corp-eu", role: "admin" })).resolves.toMatchObject({ email: "first@delta.dev" });

    const clash = await call(orgs.POST, "POST", "/api/orgs", { token: w.tokens.platformAdmin, body: { name: "Other", slug: "delta-corp-eu" } });
    expect(clash.status).toBe(409);
    const bad = await call(orgs.POST, "POST", "/api/orgs", { token: w.tokens.platformAdmin, body: { name: "Bad", slug: "Not A Slug" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].field).toBe("slug");
    expect(await prisma().organization.count({ where: { name: { in: ["Other", "Bad"] } } })).toBe(0);
    expect((await call(orgs.POST, "POST", "/api/orgs", { token: w.tokens.adminA, body: { name: "Mine" } })).status).toBe(403);

    const renamed = await call(orgId.PATCH, "PATCH", `/api/orgs/${created.json.id}`, { token: w.tokens.platformAdmin, params: { orgId: created.json.id }, body: { name: "Delta" } });
    expect(renamed.json).toMatchObject({ name: "Delta", slug: "delta-corp-eu" });
    const [entry] = await audit("organization.update", created.json.id);
    expect(entry).toMatchObject({ before: { name: "Delta Corp (EU)" }, after: { name: "Delta" } });

    const listed = await call(orgs.GET, "GET", "/api/orgs", { token: w.tokens.platformAdmin });
    expect(listed.json.map((o: { slug: string }) => o.slug)).toContain("delta-corp-eu");
  });

  it("deleting one ends its live executions first, then removes it and everything it owns; the platform log keeps the deletion", async () => {
    const created = (await call(orgs.POST, "POST", "/api/orgs", { token: w.tokens.platformAdmin, body: { name: "Short lived" } })).json;
    const project = await prisma().project.create({ data: { orgId: created.id, name: "p" }, select: { id: true } });
    const running = await submitExecution(db(), { orgId: created.id, projectId: project.id });
    const workerId = await worker({ orgId: created.id });
    expect((await claimExecutions(db(), { workerId, limit: 1, orgId: created.id })).claimed).toHaveLength(1);
    const queued = await submitExecution(db(), { orgId: created.id, projectId: project.id });

    const gone = await call(orgId.DELETE, "DELETE", `/api/orgs/${created.id}`, { token: w.tokens.platformAdmin, params: { orgId: created.id } });
    expect(gone.status).toBe(200);
    expect(gone.json).toEqual({ ended: 2 });
    expect(await prisma().organization.findUnique({ where: { id: created.id } })).toBeNull();
    expect(await prisma().execution.count({ where: { id: { in: [running.id, queued.id] } } })).toBe(0);
    const [entry] = await audit("organization.delete", created.id);
    expect(entry).toMatchObject({ orgId: null, before: { name: "Short lived", liveExecutionsEnded: 2 } });
    // Its history stays, in the platform's log.
    expect(await audit("organization.create", created.id)).toEqual([expect.objectContaining({ orgId: null })]);
    expect((await call(orgId.DELETE, "DELETE", `/api/orgs/${created.id}`, { token: w.tokens.platformAdmin, params: { orgId: created.id } })).status).toBe(404);
  });
});

describe("members", () => {
  it("an org admin adds someone new (an account with a password made once), someone existing, changes a role and removes a member", async () => {
    const path = `/api/orgs/${w.a.id}/members`;
    const added = await call(members.POST, "POST", path, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { email: "New.Person@Example.dev", role: "ADMIN" } });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ email: "new.person@example.dev", role: "ADMIN", newAccount: true });
    expect(added.json.initialPassword).toMatch(/^[\w-]{16}$/);
    const account = await prisma().account.findFirstOrThrow({ where: { userId: added.json.userId, providerId: "credential" }, select: { password: true } });
    expect(await verifyPassword({ hash: account.password!, password: added.json.initialPassword })).toBe(true);

    const again = await call(members.POST, "POST", path, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { email: "new.person@example.dev" } });
    expect(again.status).toBe(409);

    // Someone with an account already (a member of B) joins A as they are: no new password.
    await prisma().user.create({ data: { id: "u_outsider", name: "Outsider", email: "outsider@test.dev", memberships: { create: { orgId: w.b.id } } } });
    const existing = await call(members.POST, "POST", path, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { email: "outsider@test.dev" } });
    expect(existing.json).toMatchObject({ role: "MEMBER", newAccount: false });
    expect(existing.json.initialPassword).toBeUndefined();

    const userPath = `${path}/${added.json.userId}`;
    const demoted = await call(member.PATCH, "PATCH", userPath, { token: w.tokens.adminA, params: { orgId: w.a.id, userId: added.json.userId }, body: { role: "MEMBER" } });
    expect(demoted.json.role).toBe("MEMBER");
    expect((await call(members.POST, "POST", path, { token: w.tokens.memberA, params: { orgId: w.a.id }, body: { email: "x@example.dev" } })).status).toBe(403);
    const removed = await call(member.DELETE, "DELETE", userPath, { token: w.tokens.adminA, params: { orgId: w.a.id, userId: added.json.userId } });
    expect(removed.status).toBe(204);
    const listed = await call(members.GET, "GET", path, { token: w.tokens.memberA, params: { orgId: w.a.id } });
    expect(listed.json.map((m: { email: string }) => m.email)).not.toContain("new.person@example.dev");
    expect(listed.json.map((m: { email: string }) => m.email)).toContain("outsider@test.dev");
    const actions = await prisma().auditEvent.findMany({ where: { entityId: added.json.userId }, orderBy: { id: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["membership.create", "membership.update", "membership.delete"]);
  });

  it("refuses a bad email or a short password with 422, creating nothing", async () => {
    const path = `/api/orgs/${w.a.id}/members`;
    for (const body of [{ email: "not-an-email" }, { email: "short@example.dev", password: "short" }]) {
      const res = await call(members.POST, "POST", path, { token: w.tokens.adminA, params: { orgId: w.a.id }, body });
      expect(res.status).toBe(422);
    }
    expect(await prisma().user.count({ where: { email: "short@example.dev" } })).toBe(0);
  });
});

describe("tokens", () => {
  it("an org admin issues a worker token (the secret once), it works and records its use, and once revoked it no longer does", async () => {
    const path = `/api/orgs/${w.a.id}/tokens`;
    const issued = await call(orgTokens.POST, "POST", path, { token: w.tokens.adminA, params: { orgId: w.a.id }, body: { name: "etl workers" } });
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ name: "etl workers", kind: "worker", orgId: w.a.id, lastUsedAt: null, revokedAt: null });
    expect(issued.json.token.startsWith(issued.json.prefix)).toBe(true);

    const used = await call(register.POST, "POST", "/api/workers/register", { token: issued.json.token, body: { name: "etl-1", queues: [] } });
    expect(used.status).toBe(201);
    const listed = (await call(orgTokens.GET, "GET", path, { token: w.tokens.adminA, params: { orgId: w.a.id } })).json;
    const row = listed.find((t: { id: string }) => t.id === issued.json.id);
    expect(row.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(issued.json.token);

    // Org B's admin cannot see or revoke it (404: A is not theirs to know about).
    const tokenPath = `${path}/${issued.json.id}`;
    expect((await call(orgToken.DELETE, "DELETE", tokenPath, { token: w.tokens.memberB, params: { orgId: w.a.id, tokenId: issued.json.id } })).status).toBe(404);
    const revoked = await call(orgToken.DELETE, "DELETE", tokenPath, { token: w.tokens.adminA, params: { orgId: w.a.id, tokenId: issued.json.id } });
    expect(revoked.status).toBe(204);
    expect((await call(register.POST, "POST", "/api/workers/register", { token: issued.json.token, body: { name: "etl-2", queues: [] } })).status).toBe(401);
    const actions = await prisma().auditEvent.findMany({ where: { entityId: issued.json.id }, orderBy: { id: "asc" }, select: { action: true, orgId: true } });
    expect(actions).toEqual([{ action: "token.create", orgId: w.a.id }, { action: "token.revoke", orgId: w.a.id }]);
  });

  it("a platform admin issues a platform-admin token that can act on any org, and lists every token", async () => {
    const issued = await call(platformTokens.POST, "POST", "/api/platform/tokens", { token: w.tokens.platformAdmin, body: { name: "ops script", kind: "platform_admin" } });
    expect(issued.json).toMatchObject({ kind: "platform_admin", orgId: null });
    const read = await call(flows.GET, "GET", `/api/orgs/${w.b.id}/flows`, { token: issued.json.token, params: { orgId: w.b.id } });
    expect(read.status).toBe(200);
    const all = (await call(platformTokens.GET, "GET", "/api/platform/tokens", { token: w.tokens.platformAdmin })).json;
    expect(all.map((t: { id: string }) => t.id)).toContain(issued.json.id);
  });
});
