import { notFound } from "next/navigation";
import { isId } from "@/lib/core/ids";
import { FlowConcurrencyTab } from "@/components/flow/flow-concurrency-tab";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export default async function FlowPage({ params }: { params: Promise<{ orgId: string; flowId: string }> }) {
  const { orgId, flowId } = await params;
  if (!isId(flowId)) notFound();
  // Only what the UI offers; the API checks every kill and edit itself.
  const canAdmin = isOrgAdmin(await requirePrincipal(), orgId);
  return <FlowConcurrencyTab orgId={orgId} flowId={flowId} canAdmin={canAdmin} />;
}
