import { WorkersPanel } from "@/components/workers/workers-panel";

export const dynamic = "force-dynamic";

/** The workers serving the org and its queues; the layout has already checked that the caller may see this org. */
export default async function WorkersPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return <WorkersPanel orgId={orgId} />;
}
