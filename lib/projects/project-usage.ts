import type { Prisma } from "../db/client";

// Live usage next to the configuration, for the Projects screen: per project the executions
// holding a slot and those queued, and the Max Concurrent Jobs that applies — its own, or the
// platform default when it has none (tenants cannot read the platform settings, so the value
// travels here) — and per pool the in-flight all its projects share. Counted from the rows
// that hold a slot, as dispatch counts them.

export interface ProjectUsage {
  inFlight: number;
  queued: number;
  /** What dispatch applies: maxConcurrentJobs, or the platform default when that is empty (0 = no cap). */
  effectiveMaxConcurrentJobs: number;
  /** The platform default, shown for projects without their own value (0 = no cap). */
  platformDefaultConcurrentJobs: number;
}

export interface OrgUsage {
  platformDefault: number;
  projects: Map<string, { inFlight: number; queued: number }>;
  /** In-flight per pool, over all of its projects. */
  pools: Map<string, number>;
}

export async function loadOrgUsage(prisma: Prisma.TransactionClient, orgId: string): Promise<OrgUsage> {
  const [rows, platform] = await Promise.all([
    prisma.$queryRaw<{ id: string; pool_id: string | null; in_flight: number; queued: number }[]>`
      SELECT p.id, p.pool_id, COALESCE(f.n, 0)::int AS in_flight, COALESCE(q.n, 0)::int AS queued
        FROM project p
        LEFT JOIN (SELECT project_id, count(*) AS n FROM execution WHERE org_id = ${orgId}::uuid AND holds_slot GROUP BY project_id) f ON f.project_id = p.id
        LEFT JOIN (SELECT project_id, sum(queued) AS n FROM dispatch_lane WHERE org_id = ${orgId}::uuid AND queued > 0 GROUP BY project_id) q ON q.project_id = p.id
       WHERE p.org_id = ${orgId}::uuid`,
    prisma.platformSettings.findUnique({ where: { id: 1 }, select: { defaultProjectConcurrency: true } }),
  ]);
  const pools = new Map<string, number>();
  for (const r of rows) if (r.pool_id) pools.set(r.pool_id, (pools.get(r.pool_id) ?? 0) + r.in_flight);
  return {
    platformDefault: platform?.defaultProjectConcurrency ?? 0,
    projects: new Map(rows.map((r) => [r.id, { inFlight: r.in_flight, queued: r.queued }])),
    pools,
  };
}

export function projectUsage(project: { id: string; maxConcurrentJobs: number | null }, usage: OrgUsage): ProjectUsage {
  const counts = usage.projects.get(project.id) ?? { inFlight: 0, queued: 0 };
  return {
    ...counts,
    effectiveMaxConcurrentJobs: project.maxConcurrentJobs ?? usage.platformDefault,
    platformDefaultConcurrentJobs: usage.platformDefault,
  };
}
