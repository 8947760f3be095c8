import { Suspense } from "react";
import { ExecutionsList } from "@/components/executions/executions-list";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export default async function ExecutionsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  // Only what the UI offers; the API checks every bulk kill itself.
  const canAdmin = isOrgAdmin(await requirePrincipal(), orgId);
  return (
    <section aria-labelledby="executions-heading" className="space-y-4">
      <div>
        <h2 id="executions-heading" className="text-lg font-semibold">Executions</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Newest first. Open one to see its timeline and, while it is queued, why it waits. Rerun or kill everything the filters match at once.</p>
      </div>
      {/* The list reads its filters from the URL. */}
      <Suspense fallback={<div role="status" aria-label="Loading executions" className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />}>
        <ExecutionsList orgId={orgId} canAdmin={canAdmin} />
      </Suspense>
    </section>
  );
}
