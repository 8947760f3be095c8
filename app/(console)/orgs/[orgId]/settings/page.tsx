import { ParallelSettingsPanel } from "@/components/parallel-settings";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** Parallel execution settings; the layout has already checked that the caller may see this org. */
export default async function ParallelSettingsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const principal = await requirePrincipal();
  return (
    <section aria-labelledby="settings-heading" className="space-y-4">
      <h2 id="settings-heading" className="text-lg font-semibold">Parallel execution settings</h2>
      <ParallelSettingsPanel orgId={orgId} canEdit={isOrgAdmin(principal, orgId)} />
    </section>
  );
}
