"use client";

import Link from "next/link";
import { namesOf, useFlows, useProjects } from "@/lib/client/queries";
import { BEHAVIORS, formatLimit } from "@/lib/client/flow-words";
import type { FlowBehavior } from "@/lib/contract/fields";
import { ScrollRegion } from "@/components/scroll-region";

/** An org's flows with their concurrency limit, behavior and what each is doing now, live. */
export function FlowsTable({ orgId }: { orgId: string }) {
  const flows = useFlows(orgId);
  const projects = useProjects(orgId);
  const projectName = namesOf(projects.data, (p) => p.name);
  if (flows.isPending) return <div role="status" aria-label="Loading flows" className="h-32 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
  if (flows.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load flows: {flows.error.message}</p>;
  const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
  const td = "px-4 py-3 text-sm tabular-nums";
  return (
    <div className="space-y-3">
      <ScrollRegion label="Flows">
        <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
          <caption className="sr-only">Flows and their concurrency</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>Flow</th>
              <th scope="col" className={th}>Project</th>
              <th scope="col" className={th}>Limit</th>
              <th scope="col" className={th}>At the limit, a new run…</th>
              <th scope="col" className={th}>Running</th>
              <th scope="col" className={th}>Queued</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {flows.data.map((f) => (
              <tr key={f.id} data-testid={`flow-row-${f.name}`}>
                <th scope="row" className="px-4 py-3 text-left text-sm font-medium">
                  <Link href={`/orgs/${orgId}/flows/${f.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">{f.name}</Link>
                </th>
                <td className="px-4 py-3 text-sm">{projectName.get(f.projectId) ?? "…"}</td>
                <td className={td} data-testid="limit">{formatLimit(f.concurrency.limit)}</td>
                <td className="px-4 py-3 text-sm">
                  <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs font-semibold dark:bg-zinc-800" data-testid="behavior">{f.concurrency.behavior}</span>
                  <span className="ml-2 text-zinc-600 dark:text-zinc-400">{BEHAVIORS[f.concurrency.behavior as FlowBehavior]}</span>
                </td>
                <td className={td} data-testid="running">{f.concurrency.limit === null ? f.activeSlots : `${f.activeSlots} / ${f.concurrency.limit}`}</td>
                <td className={td} data-testid="queued">{f.queued}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {flows.data.length === 0 && <p className="p-6 text-sm text-zinc-600 dark:text-zinc-400">This organization has no flows yet.</p>}
      </ScrollRegion>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">Running counts every execution holding one of the flow&apos;s slots. Open a flow to see its executions, kill stuck ones and change its limit.</p>
    </div>
  );
}
