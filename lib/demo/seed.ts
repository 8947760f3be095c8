import type { PrismaClient } from "../generated/prisma/client";
import { createUser } from "../admin/users";

/**
 * Demo data: the three orgs of the fair-scheduler seed (Acme Corp weight 1, Beta Inc weight
 * 1, Gamma LLC weight 5), each with projects (one on the platform default, one with its own
 * Max Concurrent Jobs), queues, flows with QUEUE / CANCEL / FAIL limits, a trigger, a shared
 * pool, and people for every role. Runs only on an empty database.
 */
export const DEMO_PASSWORD = "slotwise-demo";

export const DEMO_ORGS = [
  { name: "Acme Corp", slug: "acme", weight: 1 },
  { name: "Beta Inc", slug: "beta", weight: 1 },
  { name: "Gamma LLC", slug: "gamma", weight: 5 },
] as const;

export const DEMO_LOGINS = [
  { email: "admin@slotwise.dev", role: "platform admin" },
  ...DEMO_ORGS.flatMap((o) => [
    { email: `admin@${o.slug}.dev`, role: `${o.name} admin` },
    { email: `member@${o.slug}.dev`, role: `${o.name} member` },
  ]),
].map((l) => ({ ...l, password: DEMO_PASSWORD }));

export async function seedDemo(prisma: PrismaClient): Promise<{ seeded: boolean }> {
  if ((await prisma.organization.count()) > 0) return { seeded: false };
  await prisma.platformSettings.upsert({ where: { id: 1 }, create: { id: 1, globalCapacity: 20, defaultProjectConcurrency: 5 }, update: { globalCapacity: 20, defaultProjectConcurrency: 5 } });

  for (const o of DEMO_ORGS) {
    const org = await prisma.organization.create({ data: { name: o.name, slug: o.slug, weight: o.weight, jobs: 10, workflows: 4, accessRequests: 2, maxPausedSlots: 1 } });
    const normal = await prisma.queue.create({ data: { orgId: org.id, name: "default" } });
    await prisma.queue.create({ data: { orgId: org.id, name: "urgent", priority: 10, concurrency: 2 } });
    const pool = o.slug === "gamma" ? await prisma.concurrencyPool.create({ data: { orgId: org.id, key: "shared", limit: 4 } }) : null;
    const web = await prisma.project.create({ data: { orgId: org.id, name: "web", defaultQueueId: normal.id, poolId: pool?.id } });
    const data = await prisma.project.create({ data: { orgId: org.id, name: "data", maxConcurrentJobs: 3, defaultQueueId: normal.id, poolId: pool?.id } });
    const etl = await prisma.flow.create({ data: { orgId: org.id, projectId: data.id, name: "etl", concurrencyLimit: 2, concurrencyBehavior: "QUEUE", childConcurrency: 2 } });
    await prisma.flow.create({ data: { orgId: org.id, projectId: web.id, name: "reports", concurrencyLimit: 2, concurrencyBehavior: "CANCEL" } });
    await prisma.flow.create({ data: { orgId: org.id, projectId: web.id, name: "sync", concurrencyLimit: 2, concurrencyBehavior: "FAIL" } });
    await prisma.flow.create({ data: { orgId: org.id, projectId: web.id, name: "adhoc" } });
    await prisma.trigger.create({ data: { orgId: org.id, flowId: etl.id, name: "nightly", type: "schedule" } });
    await createUser(prisma, { email: `admin@${o.slug}.dev`, password: DEMO_PASSWORD, name: `${o.name} admin`, org: o.slug, role: "admin" });
    await createUser(prisma, { email: `member@${o.slug}.dev`, password: DEMO_PASSWORD, name: `${o.name} member`, org: o.slug, role: "member" });
  }
  await createUser(prisma, { email: "admin@slotwise.dev", password: DEMO_PASSWORD, name: "Platform admin" }, { platformAdmin: true });
  return { seeded: true };
}
