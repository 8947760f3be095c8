"use client";

import Link from "next/link";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ForcedBadge, StateBadge, StuckBadge } from "@/components/state-badge";
import { ResumeButton } from "@/components/executions/resume-button";
import { WaitingFor } from "@/components/executions/waiting-for";
import { useKillExecutions } from "@/lib/client/execution-actions";
import type { FlowConcurrency } from "@/lib/contract/flows";
import { formatAgo, formatDuration, formatTime, shortId } from "@/lib/client/format";
import { useNow } from "@/lib/client/use-now";
import { isStuck } from "@/lib/flows/stuck";

type Row = FlowConcurrency["running"][number] | FlowConcurrency["queued"][number];

/**
 * The flow's RUNNING (and slot-holding PAUSED) and QUEUED executions with ticking durations
 * and heartbeat ages; admins can kill one or a selection, after a confirmation.
 */
export function FlowExecutionsTable({ orgId, data, canKill }: { orgId: string; data: FlowConcurrency; canKill: boolean }) {
  const now = useNow();
  const kill = useKillExecutions(orgId, data.flowId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const rows: Row[] = [...data.running, ...data.queued];
  // Executions that finished or were killed elsewhere drop out of the selection.
  const present = new Set(rows.map((r) => r.id));
  const chosen = [...selected].filter((id) => present.has(id));
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const allChosen = rows.length > 0 && chosen.length === rows.length;
  const stuckTitle = `No heartbeat for more than ${formatDuration(data.stuckAfterMs)} (half the lease); the lease expires soon and the execution will be retried unless its worker reports in.`;

  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400";
  const td = "px-3 py-2 text-sm tabular-nums";
  const muted = "text-zinc-500 dark:text-zinc-400";
  return (
    <section aria-labelledby="executions-heading" className="rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div>
          <h2 id="executions-heading" className="text-base font-semibold">Running and queued</h2>
          <p className={`text-xs ${muted}`}>Marked stuck when a running execution&apos;s last heartbeat is more than {formatDuration(data.stuckAfterMs)} old.</p>
        </div>
        {canKill && (
          <button
            type="button"
            disabled={chosen.length === 0}
            onClick={() => setConfirming(chosen)}
            className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-zinc-300 disabled:text-zinc-600 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-300"
          >
            Kill selected ({chosen.length})
          </button>
        )}
      </div>
      {kill.error && !confirming && <p role="alert" className="mx-4 mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">Could not kill: {kill.error.message}</p>}
      <div className="relative overflow-x-auto">
        <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
          <caption className="sr-only">Running and queued executions of this flow</caption>
          <thead>
            <tr>
              {canKill && (
                <th scope="col" className="w-10 px-3 py-2">
                  <input type="checkbox" aria-label="Select all" checked={allChosen} disabled={rows.length === 0} onChange={() => setSelected(allChosen ? new Set() : new Set(rows.map((r) => r.id)))} className="h-4 w-4 accent-indigo-600" />
                </th>
              )}
              <th scope="col" className={th}>Execution</th>
              <th scope="col" className={th}>State</th>
              <th scope="col" className={th}>Started</th>
              <th scope="col" className={th}>Duration</th>
              <th scope="col" className={th}>Worker</th>
              <th scope="col" className={th}>Last heartbeat</th>
              {canKill && <th scope="col" className={`${th} sticky right-0 bg-white dark:bg-zinc-900`}><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((e) => {
              const stuck = isStuck(e, now, data.stuckAfterMs);
              return (
                <tr key={e.id} data-testid={`execution-row-${e.id}`} className={stuck ? "bg-red-50/60 dark:bg-red-950/30" : undefined}>
                  {canKill && (
                    <td className="px-3 py-2">
                      <input type="checkbox" aria-label={`Select execution ${shortId(e.id)}`} checked={selected.has(e.id)} onChange={() => toggle(e.id)} className="h-4 w-4 accent-indigo-600" />
                    </td>
                  )}
                  <td className="px-3 py-2 font-mono text-sm">
                    <Link href={`/orgs/${orgId}/executions/${e.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">{shortId(e.id)}</Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-sm">
                    <StateBadge state={e.state} />
                    {stuck && <StuckBadge title={stuckTitle} />}
                    {e.forced && <ForcedBadge forced={e.forced} />}
                    {e.state === "PAUSED" && e.pause && (
                      <span className={`ml-2 text-xs ${muted}`}>{e.pause.waitingFor === "approval" ? "awaiting approval" : `until ${formatTime(e.pause.until, now)}`}</span>
                    )}
                    {e.state === "QUEUED" && "waitingFor" in e && <WaitingFor reason={e.waitingFor} queue={e.queue} />}
                  </td>
                  <td className={td}>{e.startedAt ? formatTime(e.startedAt, now) : <span className={muted}>—</span>}</td>
                  <td className={td}>
                    {e.startedAt ? formatDuration(now - Date.parse(e.startedAt)) : <span className={muted}>waiting {formatDuration(now - Date.parse(e.createdAt))}</span>}
                  </td>
                  <td className="px-3 py-2 text-sm">{e.worker?.name ?? <span className={muted}>—</span>}</td>
                  <td className={td}>{e.state === "QUEUED" ? <span className={muted}>—</span> : formatAgo(e.heartbeatAt, now)}</td>
                  {canKill && (
                    // Kept in view while the row scrolls sideways on a phone.
                    <td className="sticky right-0 space-x-2 whitespace-nowrap bg-white px-3 py-2 text-right dark:bg-zinc-900">
                      {e.state === "PAUSED" && e.pause && <ResumeButton orgId={orgId} id={e.id} waitingFor={e.pause.waitingFor} size="sm" />}
                      <button type="button" onClick={() => setConfirming([e.id])} aria-label={`Kill execution ${shortId(e.id)}`} className="rounded-md border border-red-300 px-2.5 py-1 text-xs font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950/50">
                        Kill
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 && <p className={`p-6 text-sm ${muted}`}>Nothing is running or queued in this flow right now.</p>}
        {data.queuedCount > data.queued.length && <p className={`px-4 py-3 text-xs ${muted}`}>Showing the first {data.queued.length} of {data.queuedCount} queued executions.</p>}
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={confirming?.length === 1 ? `Kill execution ${shortId(confirming[0]!)}?` : `Kill ${confirming?.length ?? 0} executions?`}
        confirmLabel={confirming?.length === 1 ? "Kill execution" : "Kill executions"}
        pending={kill.isPending}
        error={kill.error?.message}
        onClose={() => { setConfirming(null); kill.reset(); }}
        onConfirm={() => {
          const ids = confirming ?? [];
          kill.mutate(ids, {
            onSuccess: () => {
              setConfirming(null);
              setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
            },
          });
        }}
      >
        Their slots are freed at once and the next queued executions can start; workers stop them at their next heartbeat. Child executions are killed too. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
