"use client";

import { useId, useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { ApiError } from "@/lib/client/fetch-json";
import { formatCap } from "@/lib/client/limits";
import { parseRate, rateDraft } from "@/lib/client/limit-inputs";
import { fieldError } from "@/lib/client/limits-view";
import { useQueues } from "@/lib/client/queries";
import { useUpdateQueueRate } from "@/lib/client/use-limits";
import type { Queue } from "@/lib/contract/queues";
import { KeyRulesPanel } from "./key-rules";
import { muted, primaryButton, RateFields, RateWindowLine } from "./limit-parts";

/** The org's queues with their rate limits and windows, live; each opens to edit its rate limit (admins) and to its key rules. */
export function QueueLimits({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const queues = useQueues(orgId);
  return (
    <section aria-labelledby="queue-limits-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h3 id="queue-limits-heading" className="text-base font-semibold">Queues</h3>
      <p className={`mt-1 text-sm ${muted}`}>A queue&apos;s rate limit caps how many of its executions start in any window; open a queue for its key rules.</p>
      {queues.error && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">Could not load the queues: {queues.error.message}</p>}
      {queues.isPending && <div role="status" aria-label="Loading queues" className="mt-3 h-16 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {queues.data && queues.data.length === 0 && <p className={`mt-3 text-sm ${muted}`}>This organization has no queues yet.</p>}
      {queues.data && queues.data.length > 0 && (
        <ul className="mt-3 divide-y divide-zinc-100 dark:divide-zinc-800">
          {queues.data.map((q) => <QueueItem key={q.id} orgId={orgId} queue={q} canEdit={canEdit} onWindowElapsed={queues.refetch} />)}
        </ul>
      )}
    </section>
  );
}

function QueueItem({ orgId, queue, canEdit, onWindowElapsed }: { orgId: string; queue: Queue; canEdit: boolean; onWindowElapsed: () => unknown }) {
  const [open, setOpen] = useState(false);
  const update = useUpdateQueueRate(orgId);
  return (
    <li data-testid={`queue-${queue.name}`} className="py-3">
      <div className="grid gap-2 sm:grid-cols-[minmax(0,14rem)_minmax(0,10rem)_minmax(0,1fr)]">
        <p className="truncate text-sm font-medium" title={queue.name}>{queue.name}</p>
        <p className={`text-sm tabular-nums ${muted}`}>Priority {queue.priority} · concurrency {formatCap(queue.concurrency).toLowerCase()}</p>
        <div className="text-sm tabular-nums"><RateWindowLine rate={queue.rateLimit} window={queue.rateWindow} onElapsed={onWindowElapsed} testId="queue-rate" /></div>
      </div>
      <details onToggle={(e) => setOpen(e.currentTarget.open)} className="mt-2">
        <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">
          {canEdit ? "Rate limit and key rules" : "Key rules"}<span className="sr-only"> of queue {queue.name}</span>
        </summary>
        {open && (
          <div className="mt-3 space-y-4">
            {canEdit && (
              <>
                <QueueRateForm key={JSON.stringify(queue.rateLimit)} queue={queue} update={update} />
                {update.error && <ProblemAlert title={`The rate limit of queue ${queue.name} was not changed`} error={update.error} onDismiss={() => update.reset()} />}
                {update.isSuccess && <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">Rate limit of queue {queue.name} set.</p>}
              </>
            )}
            <KeyRulesPanel orgId={orgId} scope={{ queueId: queue.id }} canAdmin={canEdit} headingLevel={4} title={`Key rules of queue ${queue.name}`} />
          </div>
        )}
      </details>
    </li>
  );
}

function QueueRateForm({ queue, update }: { queue: Queue; update: ReturnType<typeof useUpdateQueueRate> }) {
  const id = useId();
  const [rate, setRate] = useState(rateDraft(queue.rateLimit));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseRate(rate);
    setInvalid(parsed.ok ? {} : Object.fromEntries(Object.entries(parsed.errors).map(([f, m]) => [`rateLimit.${f}`, m!])));
    if (parsed.ok) update.mutate({ queueId: queue.id, rateLimit: parsed.value });
  }
  const serverErrors = update.error instanceof ApiError ? update.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  return (
    <form onSubmit={submit} noValidate aria-label={`Rate limit of queue ${queue.name}`} className="grid items-start gap-4 sm:grid-cols-[minmax(0,28rem)_auto]">
      <RateFields idPrefix={id} legend={`Rate limit of queue ${queue.name}`} value={rate} onChange={setRate} errors={{ limit: errorOf("rateLimit.limit"), periodMs: errorOf("rateLimit.periodMs"), rate: fieldError(serverErrors.filter((e) => e.field === "rateLimit"), "rateLimit") }} />
      <button type="submit" disabled={update.isPending} className={`${primaryButton} justify-self-start sm:mt-6`}>{update.isPending ? "Setting…" : "Set rate limit"}</button>
    </form>
  );
}
