"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { confirmation, outcome } from "@/lib/client/bulk-words";
import { useBulkAction, type BulkFilter } from "@/lib/client/execution-actions";

// Kill or rerun everything the list's filter matches (docs/lifecycle.md, "Bulk actions"): a
// dry run counts first, the confirmation shows that count and the filter in words, and the
// action then acts on what was submitted up to the count (its `asOf`), never on later arrivals.

type Action = "kill" | "rerun";

export function BulkActions({ orgId, filter, filterWords, canKill }: { orgId: string; filter: BulkFilter; filterWords: string; canKill: boolean }) {
  const kill = useBulkAction(orgId, "kill");
  const rerun = useBulkAction(orgId, "rerun");
  const [asking, setAsking] = useState<{ action: Action; matched: number; asOf: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const mutation = (action: Action) => (action === "kill" ? kill : rerun);

  function ask(action: Action) {
    setDone(null);
    setCountError(null);
    mutation(action).mutate({ filter, dryRun: true }, {
      onSuccess: (dry) => setAsking({ action, matched: dry.matched, asOf: dry.asOf }),
      onError: (error) => setCountError(`Could not count the matching executions: ${error.message}`),
    });
  }
  function confirm() {
    if (!asking) return;
    mutation(asking.action).mutate({ filter: { ...filter, to: filter.to ?? asking.asOf }, dryRun: false }, {
      onSuccess: (result) => {
        setDone(outcome(result));
        setAsking(null);
      },
    });
  }
  function close() {
    setAsking(null);
    kill.reset();
    rerun.reset();
  }

  const words = asking ? confirmation(asking.action, asking.matched) : null;
  const pending = (action: Action) => mutation(action).isPending && !asking;
  const button = "rounded-md border px-3 py-1.5 text-sm font-medium disabled:opacity-60";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" onClick={() => ask("rerun")} disabled={pending("rerun")} className={`${button} border-zinc-300 hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800`}>
        {pending("rerun") ? "Counting…" : "Rerun matching…"}
      </button>
      {canKill && (
        <button type="button" onClick={() => ask("kill")} disabled={pending("kill")} className={`${button} border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950/50`}>
          {pending("kill") ? "Counting…" : "Kill matching…"}
        </button>
      )}
      <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">{done}</p>
      {countError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{countError}</p>}
      <ConfirmDialog
        open={asking !== null}
        title={asking?.action === "kill" ? "Kill the matching executions?" : "Rerun the matching executions?"}
        confirmLabel={words?.button ?? ""}
        pending={asking ? mutation(asking.action).isPending : false}
        disabled={!asking || asking.matched === 0}
        error={asking ? (mutation(asking.action).error?.message ?? null) : null}
        onConfirm={confirm}
        onClose={close}
      >
        {asking && words && (
          <>
            <p className="font-medium text-zinc-900 dark:text-zinc-100">{words.question}</p>
            <p className="mt-1">Executions {filterWords}, submitted up to now.</p>
            <p className="mt-2">
              {asking.action === "kill"
                ? "Each is killed with its live descendants; their slots free at once and their workers stop them on their next heartbeat."
                : "Each is submitted again as a new execution, oldest first, through every limit; a trigger still running or a full backlog refuses some."}
            </p>
            {words.capNote && <p className="mt-2">{words.capNote}</p>}
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
