import { hashPassword } from "better-auth/crypto";
import { insertUser } from "../../lib/users/users";
import type { PrismaClient } from "../../lib/db/client";

// Demo data: the three orgs of the fair-scheduler seed (Acme Corp weight 1, Beta Inc weight
// 1, Gamma LLC weight 5), each with projects (one on the platform default, one with its own
// Max Concurrent Jobs), queues, flows with QUEUE / CANCEL / FAIL limits and one without, a
// trigger, a shared pool (Gamma), and people for every role. Runs only on a database without
// organizations, all in one transaction: a crash half-way leaves nothing to trip over.

export const DEMO_PASSWORD = "slotwise-demo";

/**
 * max_paused_slots differs so the demo's pausing tasks show both behaviors: Beta's paused
 * executions all keep their slots, Acme's first one and Gamma's first two give theirs back.
 */
export const DEMO_ORGS = [
  { name: "Acme Corp", slug: "acme", weight: 1, maxPausedSlots: 1 },
  { name: "Beta Inc", slug: "beta", weight: 1, maxPausedSlots: 0 },
  { name: "Gamma LLC", slug: "gamma", weight: 5, maxPausedSlots: 2 },
] as const;

export const DEMO_PLATFORM_ADMIN = "admin@slotwise.dev";

/** Every demo login (the README and `npm run dev` print these). */
export const DEMO_LOGINS = [
  { email: DEMO_PLATFORM_ADMIN, role: "platform admin" },
  ...DEMO_ORGS.flatMap((o) => [
    { email: `admin@${o.slug}.dev`, role: `${o.name} admin` },
    { email: `member@${o.slug}.dev`, role: `${o.name} member` },
  ]),
].map((l) => ({ ...l, password: DEMO_PASSWORD }));

const SEED_LOCK = 7_120_525; // pg_advisory_xact_lock key: two processes seeding at once take turns.

export async function seedDemo(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  if ((await prisma.organization.count()) > 0) return { seeded: false };
  // Hashing is deliberately slow; do it before the transaction opens.
  const passwordHash = new Map(await Promise.all(DEMO_LOGINS.map(async (l) => [l.email, await hashPassword(l.password)] as const)));

  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if ((await tx.organization.count()) > 0) return { seeded: false };
      await tx.platformSettings.upsert({
        where: { id: 1 },
        create: { id: 1, globalCapacity: 20, defaultProjectConcurrency: 5 },
        update: { globalCapacity: 20, defaultProjectConcurrency: 5 },
      });

      for (const o of DEMO_ORGS) {
        const org = await tx.organization.create({ data: { name: o.name, slug: o.slug, weight: o.weight, jobs: 10, workflows: 4, accessRequests: 2, maxPausedSlots: o.maxPausedSlots } });
        const normal = await tx.queue.create({ data: { orgId: org.id, name: "default", priority: 0 } });
        await tx.queue.create({ data: { orgId: org.id, name: "urgent", priority: 10, concurrency: 2 } });
        const pool = o.slug === "gamma" ? await tx.concurrencyPool.create({ data: { orgId: org.id, key: "shared", limit: 4 } }) : null;
        const web = await tx.project.create({ data: { orgId: org.id, name: "web", defaultQueueId: normal.id, poolId: pool?.id } });
        const data = await tx.project.create({ data: { orgId: org.id, name: "data", maxConcurrentJobs: 3, defaultQueueId: normal.id, poolId: pool?.id } });
        const etl = await tx.flow.create({ data: { orgId: org.id, projectId: data.id, name: "etl", concurrencyLimit: 2, concurrencyBehavior: "QUEUE", childConcurrency: 2 } });
        await tx.flow.create({ data: { orgId: org.id, projectId: web.id, name: "reports", concurrencyLimit: 2, concurrencyBehavior: "CANCEL" } });
        await tx.flow.create({ data: { orgId: org.id, projectId: web.id, name: "sync", concurrencyLimit: 2, concurrencyBehavior: "FAIL" } });
        await tx.flow.create({ data: { orgId: org.id, projectId: web.id, name: "adhoc" } });
        await tx.trigger.create({ data: { orgId: org.id, flowId: etl.id, name: "nightly", type: "schedule" } });
        for (const role of ["admin", "member"] as const) {
          const email = `${role}@${o.slug}.dev`;
          await insertUser(tx, {
            email,
            name: `${o.name} ${role}`,
            passwordHash: passwordHash.get(email)!,
            membership: { orgId: org.id, role: role === "admin" ? "ADMIN" : "MEMBER" },
          });
        }
      }
      await insertUser(tx, { email: DEMO_PLATFORM_ADMIN, name: "Platform admin", passwordHash: passwordHash.get(DEMO_PLATFORM_ADMIN)!, platformAdmin: true });
      return { seeded: true };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}
