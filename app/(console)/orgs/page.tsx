import { ConcurrencyCard } from "@/components/concurrency-card";
import { OrgTable } from "@/components/org-table";
import { requirePrincipal } from "@/lib/auth/current";
import { isPlatformAdmin, orgScope } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { listOrgs } from "@/lib/orgs/list-orgs";

export const dynamic = "force-dynamic";

export default async function OrgsPage() {
  const principal = await requirePrincipal();
  if (isPlatformAdmin(principal)) {
    return (
      <section aria-labelledby="orgs-heading">
        <h1 id="orgs-heading" className="text-2xl font-semibold tracking-tight">Organizations</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every tenant&apos;s in-flight work, weight and cap. The next free slot goes to rank 1: the lowest load ratio (in-flight ÷ weight).</p>
        <OrgTable />
      </section>
    );
  }
  const orgs = await listOrgs(prisma(), orgScope(principal));
  return (
    <section aria-labelledby="orgs-heading" className="space-y-6">
      <h1 id="orgs-heading" className="text-2xl font-semibold tracking-tight">{orgs.length === 1 ? orgs[0]!.name : "My organizations"}</h1>
      {orgs.map((o) => <ConcurrencyCard key={o.id} orgId={o.id} name={o.name} />)}
      {orgs.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">You do not belong to any organization yet. Ask an administrator to add you.</p>}
    </section>
  );
}
