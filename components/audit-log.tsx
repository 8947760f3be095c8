"use client";

import { useSearchParams } from "next/navigation";
import { AuditFilterForm } from "@/components/audit/audit-filters";
import { auditChanges, describeAction, describeObject } from "@/lib/client/audit-format";
import { AUDIT_FILTERS, auditCursor, auditFiltersFrom } from "@/lib/client/audit-filters";
import { useAuditLog } from "@/lib/client/queries";
import { useUrlList } from "@/lib/client/use-url-list";
import { pageTrail } from "@/lib/executions/page-trail";
import { Skeleton } from "./skeleton";
import { ScrollRegion } from "@/components/scroll-region";

// Configuration changes, newest first, a page at a time (the API's keyset cursor). With no
// orgId it is the platform-wide log, with an organization column. Its filters and page trail
// live in the URL, as the executions list's do, so a view can be shared and survives a reload.

export function AuditLog({ orgId }: { orgId?: string }) {
  const params = useSearchParams();
  const filters = auditFiltersFrom(params);
  // The cursors of the pages behind the current one: "Newer" drops the last, "Older" adds one.
  const trail = pageTrail(params.get("pages"));
  const { data, error, isPending, isPlaceholderData } = useAuditLog(orgId, filters, auditCursor(trail.cursor));

  const { go, setFilter, setPages } = useUrlList();
  function showObject(entityType: string, entityId: string) {
    go((next) => {
      next.set("entityType", entityType);
      next.set("entityId", entityId);
      next.delete("pages");
    }, "push");
  }
  function clearFilters() {
    go((next) => {
      for (const name of [...AUDIT_FILTERS, "pages"]) next.delete(name);
    }, "replace");
  }

  const filtered = Object.keys(filters).length > 0;
  const form = (
    <AuditFilterForm
      log={orgId ? "org" : "platform"}
      filters={filters}
      actorsSeen={[...new Set(data?.items.map((e) => e.actor))]}
      objectShown={filters.entityId && data?.items[0] ? describeObject(data.items[0]) : null}
      onChange={setFilter}
      onClear={clearFilters}
    />
  );
  if (isPending) return <div className="space-y-3">{form}<Skeleton label="Loading the audit log" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" /></div>;
  if (error) return <div className="space-y-3">{form}<p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the audit log: {error.message}</p></div>;

  const td = "px-4 py-2 text-sm max-sm:block max-sm:py-0.5";
  const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
  const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800";
  return (
    <div className="space-y-3">
      {form}
      <ScrollRegion label="Audit log">
        <table className="min-w-full divide-y divide-zinc-200 max-sm:block dark:divide-zinc-800" aria-busy={isPlaceholderData || undefined}>
          <caption className="sr-only">Configuration changes, newest first</caption>
          {/* On a phone each entry is a block of lines, not a row wider than the screen. */}
          <thead className="max-sm:sr-only">
            <tr>
              <th scope="col" className={th}>When</th>
              <th scope="col" className={th}>Who</th>
              {!orgId && <th scope="col" className={th}>Organization</th>}
              <th scope="col" className={th}>What</th>
              <th scope="col" className={th}>Before → after</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 align-top max-sm:block dark:divide-zinc-800">
            {data.items.map((e) => (
              <tr key={e.id} data-testid="audit-row" className="max-sm:block max-sm:py-2">
                <td className={`${td} whitespace-nowrap tabular-nums max-sm:text-xs max-sm:text-zinc-600 max-sm:dark:text-zinc-400`}>
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString([], { dateStyle: "medium", timeStyle: "medium" })}</time>
                </td>
                <td className={td}>{e.actor}</td>
                {!orgId && <td className={td}>{e.orgName ?? <span className="text-zinc-600 dark:text-zinc-400">Platform</span>}</td>}
                <td className={td}>
                  <span className="font-medium">{describeAction(e.action)}</span>
                  <button type="button" className="block max-w-64 break-words text-left text-xs text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => showObject(e.entityType, e.entityId)} data-testid="audit-object">
                    {describeObject(e)}<span className="sr-only">: show only its history</span>
                  </button>
                </td>
                <td className={td}>
                  <ul>
                    {auditChanges(e.before, e.after).map((c) => (
                      <li key={c.field}>
                        <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{c.field}</span>{" "}
                        <span className="tabular-nums">{c.before}</span> <span aria-hidden="true">→</span>{" "}
                        <span className="sr-only">changed to</span> <span className="font-medium tabular-nums">{c.after}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
            {data.items.length === 0 && (
              <tr>
                <td colSpan={orgId ? 4 : 5} className="px-4 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{filtered ? "No changes match these filters." : "No configuration changes recorded yet."}</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <nav aria-label="Audit log pages" className="flex items-center justify-between text-sm text-zinc-600 dark:text-zinc-400">
        <p aria-live="polite">Page {trail.page}</p>
        <div className="flex gap-2">
          <button type="button" className={button} disabled={trail.page === 1} onClick={() => setPages(trail.previous())}>Newer</button>
          <button type="button" className={button} disabled={data.nextBefore === null || isPlaceholderData} onClick={() => data.nextBefore !== null && setPages(trail.next(String(data.nextBefore)))}>Older</button>
        </div>
      </nav>
    </div>
  );
}
