import { OrgAlerts } from "@/components/alerts/org-alerts";
import { ConcurrencyCard } from "@/components/concurrency-card";
import { OrgChart } from "@/components/org-chart";

/** An org's overview: its firing alerts, its live concurrency card and its in-flight and queued over time (the layout checks access). */
export default async function OrgOverviewPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return (
    <div className="space-y-6">
      <OrgAlerts orgId={orgId} />
      <ConcurrencyCard orgId={orgId} />
      <OrgChart orgId={orgId} />
    </div>
  );
}
