import "server-only";
import type { PrismaClient } from "../db/client";

// The organizations a caller may see, for pages that render them on the server. The scope
// (from `orgScope(principal)`) goes into the where clause: a tenant's query cannot return
// another tenant's org.

export interface OrgSummary {
  id: string;
  name: string;
  slug: string;
  weight: number;
  /** 0 = no cap. */
  maxConcurrency: number;
}

export async function listOrgs(prisma: PrismaClient, scope: string[] | "all"): Promise<OrgSummary[]> {
  return prisma.organization.findMany({
    where: scope === "all" ? {} : { id: { in: scope } },
    select: { id: true, name: true, slug: true, weight: true, maxConcurrency: true },
    orderBy: { name: "asc" },
  });
}
