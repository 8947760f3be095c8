"use client";

import { useState } from "react";
import { auditChanges, describeAction } from "@/lib/client/audit-format";
import { useAuditLog } from "@/lib/client/queries";
import { Skeleton } from "./skeleton";
import { ScrollRegion } from "@/components/scroll-region";

// Configuration changes, newest first, a page at a time (the API's keyset cursor). With no
// orgId it is the platform-wide log, with an organization column.

export function AuditLog({ orgId }: { orgId?: string }) {
  // The cursors of the pages behind the current one: "Newer" pops, "Older" pushes.
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1);
  const { data, error, isPending, isPlaceholderData } = useAuditLog(orgId, before);

  if (isPending) return <Skeleton label="Loading the audit log" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
  if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the audit log: {error.message}</p>;

  const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
  const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800";
  return (
    <div className="space-y-3">
      <ScrollRegion label="Audit log">
        <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800" aria-busy={isPlaceholderData || undefined}>
          <caption className="sr-only">Configuration changes, newest first</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>When</th>
              <th scope="col" className={th}>Who</th>
              {!orgId && <th scope="col" className={th}>Organization</th>}
              <th scope="col" className={th}>What</th>
              <th scope="col" className={th}>Before → after</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
            {data.items.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td className="whitespace-nowrap px-4 py-2 text-sm tabular-nums">
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString([], { dateStyle: "medium", timeStyle: "medium" })}</time>
                </td>
                <td className="px-4 py-2 text-sm">{e.actor}</td>
                {!orgId && <td className="px-4 py-2 text-sm">{e.orgName ?? <span className="text-zinc-600 dark:text-zinc-400">Platform</span>}</td>}
                <td className="px-4 py-2 text-sm">
                  <span className="font-medium">{describeAction(e.action)}</span>
                  <span className="block font-mono text-xs text-zinc-600 dark:text-zinc-400">{e.entityType} {e.entityId.slice(0, 8)}</span>
                </td>
                <td className="px-4 py-2 text-sm">
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
                <td colSpan={orgId ? 4 : 5} className="px-4 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">No configuration changes recorded yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>
      <nav aria-label="Audit log pages" className="flex items-center justify-between text-sm text-zinc-600 dark:text-zinc-400">
        <p aria-live="polite">Page {cursors.length + 1}</p>
        <div className="flex gap-2">
          <button type="button" className={button} disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>Newer</button>
          <button type="button" className={button} disabled={data.nextBefore === null || isPlaceholderData} onClick={() => setCursors((c) => [...c, data.nextBefore!])}>Older</button>
        </div>
      </nav>
    </div>
  );
}
