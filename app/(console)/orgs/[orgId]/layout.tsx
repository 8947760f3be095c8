import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { OrgTabs, type OrgTab } from "@/components/org-tabs";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin, orgScope } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { isId } from "@/lib/core/ids";
import { listOrgs } from "@/lib/orgs/orgs";

export const dynamic = "force-dynamic";

/**
 * Everything about one org lives under /orgs/{orgId}: the same check as the API (members and
 * platform admins only; anyone else gets a 404, as from the API) and one tab bar that shows
 * each role only the screens it may use.
 */
export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  if (!isId(orgId)) notFound();
  const principal = await requirePrincipal();
  const scope = orgScope(principal);
  if (scope !== "all" && !scope.includes(orgId)) notFound();
  const [org] = await listOrgs(prisma(), [orgId]);
  if (!org) notFound();
  const admin = isOrgAdmin(principal, orgId);
  const base = `/orgs/${orgId}`;
  const tabs: OrgTab[] = [
    { href: base, label: "Overview" },
    { href: `${base}/flows`, label: "Flows" },
    { href: `${base}/executions`, label: "Executions" },
    { href: `${base}/projects`, label: "Projects" },
    { href: `${base}/workers`, label: "Workers" },
    { href: `${base}/settings`, label: "Parallel settings" },
    { href: `${base}/access`, label: "Members" },
    ...(admin ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
  ];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{org.name}</h1>
        <OrgTabs tabs={tabs} />
      </div>
      {children}
    </div>
  );
}
