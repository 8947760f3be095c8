import { OrgAlerts } from "@/components/alerts/org-alerts";
import { WorkersPanel } from "@/components/workers/workers-panel";

export const dynamic = "force-dynamic";

/** The org's firing alerts, the workers serving it and its queues; the layout has already checked that the caller may see this org. */
export default async function WorkersPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return (
    <div className="space-y-6">
      <OrgAlerts orgId={orgId} />
      <WorkersPanel orgId={orgId} />
    </div>
  );
}
