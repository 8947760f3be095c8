import { Suspense } from "react";
import { ExecutionsList } from "@/components/executions/executions-list";

export default async function ExecutionsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return (
    <section aria-labelledby="executions-heading" className="space-y-4">
      <div>
        <h2 id="executions-heading" className="text-lg font-semibold">Executions</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Newest first. Open one to see its timeline and, while it is queued, why it waits.</p>
      </div>
      {/* The list reads its filters from the URL. */}
      <Suspense fallback={<div role="status" aria-label="Loading executions" className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />}>
        <ExecutionsList orgId={orgId} />
      </Suspense>
    </section>
  );
}
