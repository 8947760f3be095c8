import { LimitsPanel } from "@/components/limits/limits-panel";
import { ParallelSettingsPanel } from "@/components/parallel-settings";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** Parallel execution settings and the org's limits; the layout has already checked that the caller may see this org. */
export default async function ParallelSettingsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const principal = await requirePrincipal();
  const canEdit = isOrgAdmin(principal, orgId);
  return (
    <div className="space-y-10">
      <section aria-labelledby="settings-heading" className="space-y-4">
        <h2 id="settings-heading" className="text-lg font-semibold">Parallel execution settings</h2>
        <ParallelSettingsPanel orgId={orgId} canEdit={canEdit} />
      </section>
      <section aria-labelledby="limits-heading" className="space-y-4">
        <h2 id="limits-heading" className="text-lg font-semibold">Limits</h2>
        <LimitsPanel orgId={orgId} canEdit={canEdit} />
      </section>
    </div>
  );
}
