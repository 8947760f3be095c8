import { FlowConcurrencyTab } from "@/components/flow/flow-concurrency-tab";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export default async function FlowPage({ params }: { params: Promise<{ orgId: string; flowId: string }> }) {
  const { orgId, flowId } = await params;
  // Only what the UI offers; the API checks every kill and edit itself.
  const canAdmin = isOrgAdmin(await requirePrincipal(), orgId);
  return <FlowConcurrencyTab orgId={orgId} flowId={flowId} canAdmin={canAdmin} />;
}
