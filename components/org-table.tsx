"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/client/fetch-json";
import { LIVE_INTERVAL_MS, queryKeys } from "@/lib/client/query-keys";
import type { OrgConcurrency } from "@/lib/fair-scheduler/org-concurrency";

export function formatCap(n: number): string {
  return n === 0 ? "No limit" : String(n);
}

/** Platform admins: every org, live. */
export function OrgTable() {
  const { data, error, isPending } = useQuery({
    queryKey: queryKeys.fairScheduler.orgs(),
    queryFn: () => fetchJson<OrgConcurrency[]>("/api/fair-scheduler/orgs"),
    refetchInterval: LIVE_INTERVAL_MS,
  });
  if (isPending) return <div className="mt-6 h-32 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" aria-label="Loading organizations" />;
  if (error) return <p role="alert" className="mt-6 text-sm text-red-600">Could not load organizations: {error.message}</p>;
  const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
  const td = "px-4 py-2 text-sm tabular-nums";
  return (
    <div className="mt-6 overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
        <caption className="sr-only">Organizations and their concurrency</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>Organization</th>
            <th scope="col" className={th}>In flight</th>
            <th scope="col" className={th}>Queued</th>
            <th scope="col" className={th}>Weight</th>
            <th scope="col" className={th}>Load ratio</th>
            <th scope="col" className={th}>Next slot</th>
            <th scope="col" className={th}>Max concurrency</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {data.map((o) => (
            <tr key={o.organizationId} data-testid={`org-row-${o.name}`}>
              <td className="px-4 py-2 text-sm font-medium">{o.name}</td>
              <td className={td}>{o.currentInFlight}</td>
              <td className={td}>{o.queued}</td>
              <td className={td} data-testid="weight">{o.weight}</td>
              <td className={td}>{o.ratio.toFixed(2)}</td>
              <td className={td}>{o.rank === null ? "—" : o.rank === 1 ? <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200">next</span> : `#${o.rank}`}</td>
              <td className={td}>{formatCap(o.maxConcurrency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
