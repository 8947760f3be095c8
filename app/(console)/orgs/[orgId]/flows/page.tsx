import { FlowsTable } from "@/components/flows-table";

export default async function FlowsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  return (
    <section aria-labelledby="flows-heading" className="space-y-4">
      <div>
        <h2 id="flows-heading" className="text-lg font-semibold">Flows</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Each flow&apos;s concurrency limit and what happens to a new run when it is reached.</p>
      </div>
      <FlowsTable orgId={orgId} />
    </section>
  );
}
