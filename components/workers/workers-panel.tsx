"use client";

import { ProblemAlert } from "@/components/problem-alert";
import { ScrollRegion } from "@/components/scroll-region";
import { muted } from "@/components/limits/limit-parts";
import { formatAgo, formatDuration } from "@/lib/client/format";
import { useWorkersOverview } from "@/lib/client/queries";
import { useNow } from "@/lib/client/use-now";
import type { WorkersOverview } from "@/lib/contract/workers";

// The Workers tab (docs/operations.md, "Workers and queues"): who serves the org and what
// each holds against what it declared, when it last asked for work and how many of its
// leases ran out; per queue, what waits and runs, since when, and who serves it. The tables
// scroll sideways on a phone with their first column kept in view.

const th = "px-3 py-2 font-medium whitespace-nowrap";
const td = "px-3 py-2 whitespace-nowrap tabular-nums";
const sticky = "sticky left-0 bg-white dark:bg-zinc-900";

export function WorkersPanel({ orgId }: { orgId: string }) {
  const overview = useWorkersOverview(orgId);
  const now = useNow();
  if (overview.isError) return <ProblemAlert title="Could not load the workers" error={overview.error} />;
  if (!overview.data) return <p className={`text-sm ${muted}`}>Loading…</p>;
  const { workers, queues } = overview.data;
  return (
    <div className="space-y-8">
      <section aria-labelledby="queues-heading" className="space-y-3">
        <h2 id="queues-heading" className="text-lg font-semibold">Queues</h2>
        <Table caption="Queues" head={["Queue", "Priority", "Concurrency", "Queued", "Running", "Oldest wait", "Served by"]}>
          {queues.map((q) => (
            <tr key={q.id}>
              <th scope="row" className={`${td} ${sticky} text-left font-medium`}>{q.name}</th>
              <td className={td}>{q.priority}</td>
              <td className={td}>{q.concurrency === 0 ? "No limit" : q.concurrency}</td>
              <td className={td}>{q.queued}</td>
              <td className={td}>{q.running}</td>
              <td className={td}>{q.oldestQueuedAt ? formatDuration(now - Date.parse(q.oldestQueuedAt)) : "—"}</td>
              <td className={`${td} ${q.workers.length === 0 && q.queued > 0 ? "font-medium text-red-700 dark:text-red-300" : ""}`}>
                {q.workers.length === 0 ? (q.queued > 0 ? "No live worker" : "—") : workerList(q.workers)}
              </td>
            </tr>
          ))}
          {queues.length === 0 && <EmptyRow span={7} text="No queues yet: the default queue appears with the first submission." />}
        </Table>
      </section>
      <section aria-labelledby="workers-heading" className="space-y-3">
        <h2 id="workers-heading" className="text-lg font-semibold">Workers</h2>
        <p className={`text-sm ${muted}`}>Seen in the last 24 hours. A worker that declared its concurrency shows what it holds against it; one that holds all it declared is busy.</p>
        <Table caption="Workers" head={["Worker", "Status", "Queues", "Holding", "Last asked for work", "Last seen", "Lease expiries (24 h)"]}>
          {workers.map((w) => (
            <tr key={w.id} data-testid={`worker-${w.name}`}>
              <th scope="row" className={`${td} ${sticky} text-left font-medium`}>
                {w.name}
                {w.orgId === null && <span className={`ml-1 text-xs font-normal ${muted}`}>(every org)</span>}
              </th>
              <td className={td}>{statusOf(w)}</td>
              <td className={td}>{w.queues.length === 0 ? "every queue" : w.queues.join(", ")}</td>
              <td className={td}>{holdingOf(w)}</td>
              <td className={td}>{formatAgo(w.lastClaimAt, now)}</td>
              <td className={td}>{formatAgo(w.lastSeenAt, now)}</td>
              <td className={`${td} ${w.leaseExpiries24h > 0 ? "font-medium text-amber-800 dark:text-amber-300" : ""}`}>{w.leaseExpiries24h}</td>
            </tr>
          ))}
          {workers.length === 0 && <EmptyRow span={7} text="No worker has served this organization in the last 24 hours." />}
        </Table>
      </section>
    </div>
  );
}

type Worker = WorkersOverview["workers"][number];

function statusOf(w: Worker): string {
  if (!w.live) return "Gone";
  if (w.concurrency !== null && w.holdingAll >= w.concurrency) return "Busy";
  return w.holdingAll > 0 ? "Working" : "Idle";
}

function holdingOf(w: Worker): string {
  const capacity = w.concurrency === null ? "" : ` of ${w.concurrency}`;
  const others = w.holdingAll > w.holding ? ` (${w.holdingAll} with other orgs')` : "";
  return `${w.holding}${capacity}${others}`;
}

const workerList = (names: readonly string[]) => (names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", "));

function Table({ caption, head, children }: { caption: string; head: string[]; children: React.ReactNode }) {
  return (
    <ScrollRegion label={caption}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className={`border-b border-zinc-200 text-xs uppercase tracking-wide dark:border-zinc-800 ${muted}`}>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`${th} ${i === 0 ? sticky : ""}`}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </ScrollRegion>
  );
}

function EmptyRow({ span, text }: { span: number; text: string }) {
  return (
    <tr>
      <td colSpan={span} className={`px-3 py-3 ${muted}`}>{text}</td>
    </tr>
  );
}
