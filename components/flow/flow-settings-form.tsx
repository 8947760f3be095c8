"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { Flow, FlowConcurrency } from "@/lib/contract/flows";
import { BEHAVIORS } from "@/lib/client/flow-words";
import type { FlowBehavior } from "@/lib/contract/fields";

export interface Concurrency { limit: number | null; behavior: FlowBehavior }

/** The server's words for a refusal, naming the field when it named one. */
function refusal(error: Error): string {
  if (error instanceof ApiError && error.errors.length > 0) return error.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  return error.message;
}

/**
 * Org admins change the flow's limit and behavior here (PATCH /api/orgs/{orgId}/flows/{flowId}).
 * The tab shows the new values at once (in the cache, and as the pending edit, so a live
 * refetch that lands before the server answers does not flip them back) and goes back to
 * the old ones, with the server's reason, if the server refuses.
 */
export function FlowSettingsForm({ orgId, flowId, current }: { orgId: string; flowId: string; current: Concurrency }) {
  const queryClient = useQueryClient();
  const formId = useId();
  const [limit, setLimit] = useState(current.limit === null ? "" : String(current.limit));
  const [behavior, setBehavior] = useState<FlowBehavior>(current.behavior);
  const [saved, setSaved] = useState(false);
  // Follow the values on screen when they change underneath the form (another admin's
  // edit arriving live, or a rollback), the way React suggests: compare during render.
  const [shown, setShown] = useState(current);
  if (shown.limit !== current.limit || shown.behavior !== current.behavior) {
    setShown(current);
    setLimit(current.limit === null ? "" : String(current.limit));
    setBehavior(current.behavior);
  }
  const keys = queryKeys.org(orgId);
  const concurrencyKey = keys.flowConcurrency(flowId);
  const flowsKey = keys.flows();

  const save = useMutation({
    mutationKey: keys.flowEdit(flowId),
    mutationFn: (next: Concurrency) => fetchJson(`/api/orgs/${orgId}/flows/${flowId}`, { method: "PATCH", body: { concurrency: next } }),
    onMutate: async (next) => {
      setSaved(false);
      await Promise.all([queryClient.cancelQueries({ queryKey: concurrencyKey }), queryClient.cancelQueries({ queryKey: flowsKey })]);
      const before = { tab: queryClient.getQueryData<FlowConcurrency>(concurrencyKey), list: queryClient.getQueryData<Flow[]>(flowsKey) };
      if (before.tab) queryClient.setQueryData<FlowConcurrency>(concurrencyKey, { ...before.tab, limit: next.limit, totalSlots: next.limit, behavior: next.behavior });
      if (before.list) queryClient.setQueryData<Flow[]>(flowsKey, before.list.map((f) => (f.id === flowId ? { ...f, concurrency: next } : f)));
      return before;
    },
    onError: (_error, _next, before) => {
      if (before?.tab) queryClient.setQueryData(concurrencyKey, before.tab);
      if (before?.list) queryClient.setQueryData(flowsKey, before.list);
    },
    onSuccess: () => setSaved(true),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: [...keys.all, "flow", flowId] }), queryClient.invalidateQueries({ queryKey: flowsKey })]),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    // Empty means no limit; anything else goes to the server as typed, which judges it.
    save.mutate({ limit: limit.trim() === "" ? null : Number(limit), behavior });
  }

  const input = "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm tabular-nums shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-zinc-600 dark:bg-zinc-950";
  return (
    <form onSubmit={submit} noValidate aria-labelledby="flow-settings-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="flow-settings-heading" className="text-base font-semibold">Concurrency settings</h2>
      <div className="mt-3 grid gap-4 sm:grid-cols-[10rem_1fr_auto] sm:items-end">
        <div>
          <label htmlFor={`${formId}-limit`} className="block text-sm font-medium">Limit</label>
          <input id={`${formId}-limit`} type="number" inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="No limit" aria-describedby="limit-hint" className={input} />
        </div>
        <div>
          <label htmlFor={`${formId}-behavior`} className="block text-sm font-medium">At the limit, a new run</label>
          <select id={`${formId}-behavior`} value={behavior} onChange={(e) => setBehavior(e.target.value as FlowBehavior)} className={input}>
            {(Object.keys(BEHAVIORS) as FlowBehavior[]).map((b) => <option key={b} value={b}>{b} — {BEHAVIORS[b]}</option>)}
          </select>
        </div>
        <button type="submit" disabled={save.isPending} className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </div>
      <p id="limit-hint" className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Leave the limit empty for no limit. Changes apply at the next dispatch to everything already queued.</p>
      {save.error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">Not saved: {refusal(save.error)}</p>}
      {saved && !save.error && <p role="status" className="mt-3 text-sm text-emerald-800 dark:text-emerald-300">Saved.</p>}
    </form>
  );
}
