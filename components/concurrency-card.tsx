"use client";

import { formatCap } from "@/lib/client/limits";
import { useOrgConcurrency } from "@/lib/client/queries";
import { Skeleton } from "./skeleton";

/** The tenant's concurrency card (the org overview's), live. */
export function ConcurrencyCard({ orgId }: { orgId: string }) {
  const { data, error, isPending } = useOrgConcurrency(orgId);
  return (
    <article aria-labelledby={`card-${orgId}`} className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={`card-${orgId}`} className="text-lg font-semibold">Concurrency</h2>
      {isPending && <Skeleton label="Loading concurrency" className="mt-4 h-20 rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {error && <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">Could not load concurrency: {error.message}</p>}
      {data && !data.hasData && <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">No concurrency data available</p>}
      {data && data.hasData && (
        <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label="Current In-Flight" value={String(data.currentInFlight)} hint="Executions holding a slot right now; updates live." />
          <Stat label="Load Ratio" value={data.ratio.toFixed(2)} hint="In-flight ÷ weight. Lower means you get the next slot sooner." />
          <Stat label="Weight" value={String(data.weight)} hint="Your share of throughput relative to other organizations." />
          <Stat label="Max Concurrency" value={formatCap(data.maxConcurrency)} hint="Most executions that may run at once; the rest wait in the queue." />
        </dl>
      )}
    </article>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      <dd className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</dd>
    </div>
  );
}
