import { notFound } from "next/navigation";
import { isId } from "@/lib/core/ids";
import { ExecutionDetail } from "@/components/executions/execution-detail";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export default async function ExecutionPage({ params }: { params: Promise<{ orgId: string; id: string }> }) {
  const { orgId, id } = await params;
  if (!isId(id)) notFound();
  // Only what the UI offers; the API checks every kill and delete itself.
  const canAdmin = isOrgAdmin(await requirePrincipal(), orgId);
  return <ExecutionDetail orgId={orgId} id={id} canAdmin={canAdmin} />;
}
