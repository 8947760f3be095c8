import Link from "next/link";
import { redirect } from "next/navigation";
import { NewOrgButton } from "@/components/access/new-org-dialog";
import { PlatformAlerts } from "@/components/alerts/platform-alerts";
import { TokensPanel } from "@/components/access/tokens-panel";
import { OrgTable } from "@/components/org-table";
import { PlatformCapacity } from "@/components/platform-capacity";
import { PlatformChart } from "@/components/platform-chart";
import { requirePrincipal } from "@/lib/auth/current";
import { isPlatformAdmin, orgScope } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { listOrgs } from "@/lib/orgs/orgs";

export const dynamic = "force-dynamic";

/** Platform admins: the platform overview. Tenants: their org, or a list when they have several. */
export default async function OrgsPage() {
  const principal = await requirePrincipal();
  if (isPlatformAdmin(principal)) {
    const orgNames = await listOrgs(prisma(), "all");
    return (
      <section aria-labelledby="orgs-heading" className="space-y-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 flex-1 basis-80">
            <h1 id="orgs-heading" className="text-2xl font-semibold tracking-tight">Platform overview</h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Every tenant&apos;s in-flight work, weight and cap. The next free slot goes to the organization marked “next”: the lowest load ratio (in-flight ÷ weight) among those with work that can start.
            </p>
          </div>
          <NewOrgButton />
        </div>
        <PlatformCapacity />
        <PlatformAlerts />
        <PlatformChart />
        <OrgTable />
        <section aria-labelledby="platform-tokens-heading" className="space-y-4">
          <h2 id="platform-tokens-heading" className="text-lg font-semibold">API tokens</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Every token of the platform. Issue platform-admin tokens for scripts and worker tokens for every organization here; an organization&apos;s admins issue its own worker tokens on its Members tab.</p>
          <TokensPanel orgId={null} orgs={orgNames.map(({ id, name }) => ({ id, name }))} />
        </section>
      </section>
    );
  }
  const orgs = await listOrgs(prisma(), orgScope(principal));
  if (orgs.length === 1) redirect(`/orgs/${orgs[0]!.id}`);
  return (
    <section aria-labelledby="orgs-heading" className="space-y-6">
      <h1 id="orgs-heading" className="text-2xl font-semibold tracking-tight">My organizations</h1>
      {orgs.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">You do not belong to any organization yet. Ask an administrator to add you.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {orgs.map((o) => (
            <li key={o.id}>
              <Link href={`/orgs/${o.id}`} className="block px-4 py-3 text-sm font-medium text-indigo-700 hover:bg-zinc-50 dark:text-indigo-300 dark:hover:bg-zinc-800/50">{o.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
