"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useId } from "react";
import { StateBadge } from "@/components/state-badge";
import { WaitingFor } from "./waiting-for";
import { JumpToExecution, TimeFilter } from "./list-filters";
import { BulkActions } from "./bulk-actions";
import { describeFilter } from "@/lib/client/bulk-words";
import type { BulkFilter } from "@/lib/client/execution-actions";
import { RerunButton } from "@/components/executions/rerun-button";
import { formatTime, shortId } from "@/lib/client/format";
import { scheduledText } from "@/lib/client/limits-view";
import { namesOf, useExecutions, useFlows, useKeyRules, useProjects, useQueues } from "@/lib/client/queries";
import { useNow } from "@/lib/client/use-now";
import { useUrlList } from "@/lib/client/use-url-list";
import { executionStates, liveStates } from "@/lib/contract/fields";
import { pageTrail } from "@/lib/executions/page-trail";

export const PAGE_SIZE = 20;
const FILTERS = ["state", "projectId", "flowId", "queue", "from", "to"] as const;
type Filter = (typeof FILTERS)[number];

/**
 * An org's executions, newest first: filters and the page trail live in the URL (so a view
 * can be shared and survives a reload), pages come from the API's keyset cursor.
 */
export function ExecutionsList({ orgId, canAdmin }: { orgId: string; canAdmin: boolean }) {
  const params = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined])) as Record<Filter, string | undefined>;
  const trail = pageTrail(params.get("pages"));

  const { data, error, isPending, isPlaceholderData } = useExecutions(orgId, { ...filters, limit: String(PAGE_SIZE), cursor: trail.cursor });
  const flows = useFlows(orgId);
  const projects = useProjects(orgId);
  const queues = useQueues(orgId);
  const rules = useKeyRules(orgId);
  const now = useNow();
  const flowName = namesOf(flows.data, (f) => f.name);
  const projectName = namesOf(projects.data, (p) => p.name);
  const ruleName = namesOf(rules.data, (r) => r.name);

  const { setFilter, setPages } = useUrlList();

  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
  const td = "px-3 py-2 text-sm";
  const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-600 dark:hover:bg-zinc-800";
  return (
    <div className="space-y-4">
      <form role="search" aria-label="Filter executions" className="grid gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="State" value={filters.state} onChange={(v) => setFilter("state", v)} any="Any state" options={executionStates.map((st) => [st, st])} />
        <FilterSelect label="Project" value={filters.projectId} onChange={(v) => setFilter("projectId", v)} any="Any project" options={(projects.data ?? []).map((p) => [p.id, p.name])} />
        <FilterSelect label="Flow" value={filters.flowId} onChange={(v) => setFilter("flowId", v)} any="Any flow" options={(flows.data ?? []).map((f) => [f.id, f.name])} />
        <FilterSelect label="Queue" value={filters.queue} onChange={(v) => setFilter("queue", v)} any="Any queue" options={(queues.data ?? []).map((q) => [q.name, q.name])} />
        <TimeFilter label="Submitted from" value={filters.from} onChange={(v) => setFilter("from", v)} />
        <TimeFilter label="Submitted before" value={filters.to} onChange={(v) => setFilter("to", v)} />
      </form>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <BulkActions orgId={orgId} filter={bulkFilter(filters)} canKill={canAdmin} filterWords={describeFilter(filters, { flow: (id) => flowName.get(id) ?? "…", project: (id) => projectName.get(id) ?? "…" })} />
        <JumpToExecution orgId={orgId} />
      </div>

      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load executions: {error.message}</p>}
      {isPending && <div role="status" aria-label="Loading executions" className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />}
      {data && (
        <div className={`relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900 ${isPlaceholderData ? "opacity-60" : ""}`} aria-busy={isPlaceholderData}>
          <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
            <caption className="sr-only">Executions, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className={th}>Execution</th>
                <th scope="col" className={th}>State</th>
                <th scope="col" className={th}>Flow</th>
                <th scope="col" className={th}>Project</th>
                <th scope="col" className={th}>Queue</th>
                <th scope="col" className={th}>Keys</th>
                <th scope="col" className={th}>Submitted</th>
                <th scope="col" className={th}>Attempts</th>
                <th scope="col" className={th}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {data.items.map((e) => {
                const scheduled = scheduledText(e, now);
                return (
                  <tr key={e.id} data-testid="execution-row">
                    <td className="px-3 py-2 font-mono text-sm">
                      <Link href={`/orgs/${orgId}/executions/${e.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">{shortId(e.id)}</Link>
                    </td>
                    <td className={td}>
                      <StateBadge state={e.state} />
                      {scheduled && e.startAfter && (
                        <span className="mt-0.5 block whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400" data-testid="scheduled">
                          <time dateTime={e.startAfter} title={formatTime(e.startAfter, now)}>{scheduled}</time>
                          <span className="sr-only"> (at {formatTime(e.startAfter, now)})</span>
                        </span>
                      )}
                      {e.state === "QUEUED" && !scheduled && <WaitingFor reason={e.waitingFor} queue={e.queue} />}
                    </td>
                    <td className={td}>{e.flowId ? (flowName.get(e.flowId) ?? "…") : <span className="text-zinc-500 dark:text-zinc-400">—</span>}</td>
                    <td className={td}>{projectName.get(e.projectId) ?? "…"}</td>
                    <td className={td}>{e.queue}</td>
                    <td className={td} data-testid="keys"><Keys keys={e.keys} concurrencyKey={e.concurrencyKey} ruleName={ruleName} /></td>
                    <td className={`${td} tabular-nums`}>{formatTime(e.createdAt)}</td>
                    <td className={`${td} tabular-nums`}>{e.attempts} / {e.maxAttempts}</td>
                    <td className="px-3 py-2 text-right">{!liveStates.includes(e.state) && <RerunButton orgId={orgId} id={e.id} size="sm" />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {data.items.length === 0 && <p className="p-6 text-sm text-zinc-600 dark:text-zinc-400">No executions match these filters.</p>}
        </div>
      )}
      <nav aria-label="Pages" className="flex items-center justify-between">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Page {trail.page}</p>
        <div className="flex gap-2">
          <button type="button" className={button} disabled={trail.page === 1} onClick={() => setPages(trail.previous())}>Previous</button>
          <button type="button" className={button} disabled={!data?.nextCursor || isPlaceholderData} onClick={() => data?.nextCursor && setPages(trail.next(data.nextCursor))}>Next</button>
        </div>
      </nav>
    </div>
  );
}

/** The set filters only: a bulk action's filter has no empty fields. */
const bulkFilter = (filters: Record<Filter, string | undefined>): BulkFilter => Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as BulkFilter;

/** An execution's keys under the concurrency key rules it fell under (rule names where known), or its bare concurrencyKey. */
function Keys({ keys, concurrencyKey, ruleName }: { keys: { ruleId: string; value: string }[]; concurrencyKey: string | null; ruleName: ReadonlyMap<string, string> }) {
  if (keys.length === 0) return concurrencyKey ? <span className="font-mono text-xs">{concurrencyKey}</span> : <span className="text-zinc-500 dark:text-zinc-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {keys.map((k) => (
        <li key={k.ruleId} className="whitespace-nowrap text-xs">
          <span className="text-zinc-600 dark:text-zinc-400">{ruleName.get(k.ruleId) ?? "rule"}:</span> <span className="font-mono">{k.value}</span>
        </li>
      ))}
    </ul>
  );
}

/** A labelled filter (label and select tied by id, so its accessible name is just the label). */
function FilterSelect({ label, value, onChange, any, options }: { label: string; value: string | undefined; onChange: (value: string) => void; any: string; options: [string, string][] }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value)} className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-zinc-600 dark:bg-zinc-950">
        <option value="">{any}</option>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );
}
