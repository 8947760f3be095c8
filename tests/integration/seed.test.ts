import { describe, expect, it } from "vitest";
import { auth } from "../../lib/auth/auth";
import { prisma } from "../../lib/db/client";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "../../tooling/demo/seed";

/** The demo data every dev start and the e2e suite rely on. */
describe("seedDemo", () => {
  it("seeds once; concurrent and repeated calls add nothing", async () => {
    const results = await Promise.all([seedDemo(prisma()), seedDemo(prisma())]);
    expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
    expect(await seedDemo(prisma())).toEqual({ seeded: false });
    expect(await prisma().organization.count()).toBe(3);
    expect(await prisma().user.count()).toBe(7);
  });

  it("has the demo's orgs and the platform settings", async () => {
    const orgs = await prisma().organization.findMany({ select: { name: true, slug: true, weight: true, maxConcurrency: true }, orderBy: { name: "asc" } });
    expect(orgs).toEqual([
      { name: "Acme Corp", slug: "acme", weight: 1, maxConcurrency: 0 },
      { name: "Beta Inc", slug: "beta", weight: 1, maxConcurrency: 0 },
      { name: "Gamma LLC", slug: "gamma", weight: 5, maxConcurrency: 0 },
    ]);
    expect(await prisma().platformSettings.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ globalCapacity: 20, defaultProjectConcurrency: 5 });
  });

  it("gives every org projects, queues, flows for each behavior, and a trigger; one org a shared pool", async () => {
    for (const org of await prisma().organization.findMany({ include: { projects: true, queues: true, flows: true, triggers: true, pools: { include: { projects: true } } } })) {
      expect(org.projects.map((p) => p.maxConcurrentJobs).sort()).toEqual([3, null]);
      expect(org.queues.map((q) => [q.name, q.priority, q.concurrency]).sort()).toEqual([["default", 0, 0], ["urgent", 10, 2]]);
      expect(org.flows.map((f) => [f.concurrencyLimit, f.concurrencyBehavior]).sort()).toEqual([[null, "QUEUE"], [2, "CANCEL"], [2, "FAIL"], [2, "QUEUE"]]);
      expect(org.triggers).toHaveLength(1);
      if (org.slug === "gamma") expect(org.pools[0]!.projects).toHaveLength(2);
    }
  });

  it("creates every demo login with its role, and each can sign in", async () => {
    const users = await prisma().user.findMany({ include: { memberships: { include: { org: true } } } });
    const roles = Object.fromEntries(users.map((u) => [u.email, u.platformAdmin ? "platform admin" : u.memberships.map((m) => `${m.org.slug}:${m.role}`).join(",")]));
    expect(roles).toEqual({
      "admin@slotwise.dev": "platform admin",
      "admin@acme.dev": "acme:ADMIN",
      "member@acme.dev": "acme:MEMBER",
      "admin@beta.dev": "beta:ADMIN",
      "member@beta.dev": "beta:MEMBER",
      "admin@gamma.dev": "gamma:ADMIN",
      "member@gamma.dev": "gamma:MEMBER",
    });
    expect(DEMO_LOGINS.map((l) => l.email).sort()).toEqual(Object.keys(roles).sort());
    for (const login of DEMO_LOGINS) {
      expect(login.password).toBe(DEMO_PASSWORD);
      const session = await auth().api.signInEmail({ body: { email: login.email, password: login.password } });
      expect(session.user.email).toBe(login.email);
    }
  });
});
