"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import type { Flow, FlowConcurrency } from "@/lib/contract/flows";
import { BEHAVIORS } from "@/lib/client/flow-words";
import type { FlowBehavior } from "@/lib/contract/fields";
import { debounceDraft, parseCap, parseDebounce, parseRate, parseRetry, rateDraft, retryDraft, type DebounceDraft, type RateDraft, type RetryDraft } from "@/lib/client/limit-inputs";
import { fieldError } from "@/lib/client/limits-view";
import { applyFlowEdit, type FlowEdit } from "@/lib/client/settings-edits";
import { describedBy, DurationInput, FieldError, inputClass, muted, RateFields } from "@/components/limits/limit-parts";
import { RetryFields } from "./retry-fields";

export interface Concurrency { limit: number | null; behavior: FlowBehavior }
export type FlowLimits = Pick<Flow, "rateLimit" | "maxQueued" | "debounce" | "retry">;
export type { FlowEdit };

/** The server's words for a refusal, naming the field when it named one. */
function refusal(error: Error): string {
  if (error instanceof ApiError && error.errors.length > 0) return error.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  return error.message;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Drafts { limit: string; behavior: FlowBehavior; rate: RateDraft; maxQueued: string; debounce: DebounceDraft; retry: RetryDraft }
const draftsOf = (current: Concurrency, limits: FlowLimits): Drafts => ({
  limit: current.limit === null ? "" : String(current.limit),
  behavior: current.behavior,
  rate: rateDraft(limits.rateLimit),
  maxQueued: limits.maxQueued === null ? "" : String(limits.maxQueued),
  debounce: debounceDraft(limits.debounce),
  retry: retryDraft(limits.retry),
});

/**
 * Org admins change the flow's limit and behavior, its rate limit, backlog cap, debounce and
 * retry policy here (PATCH /api/orgs/{orgId}/flows/{flowId}). The tab shows the new values at once (in the
 * cache, and as the pending edit, so a live refetch that lands before the server answers does
 * not flip them back) and goes back to the old ones, with the server's reason next to each
 * field it names, if the server refuses.
 */
export function FlowSettingsForm({ orgId, flowId, current, limits }: { orgId: string; flowId: string; current: Concurrency; limits: FlowLimits }) {
  const queryClient = useQueryClient();
  const formId = useId();
  const [drafts, setDrafts] = useState(() => draftsOf(current, limits));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  // Follow the values on screen when they change underneath the form (another admin's
  // edit arriving live, or a rollback), the way React suggests: compare during render.
  const [shown, setShown] = useState({ current, limits });
  if (!same(shown, { current, limits })) {
    setShown({ current, limits });
    setDrafts(draftsOf(current, limits));
  }
  const set = <K extends keyof Drafts>(name: K, value: Drafts[K]) => setDrafts((d) => ({ ...d, [name]: value }));
  const keys = queryKeys.org(orgId);
  const concurrencyKey = keys.flowConcurrency(flowId);
  const flowKey = keys.flow(flowId);
  const flowsKey = keys.flows();

  const save = useMutation({
    mutationKey: keys.flowEdit(flowId),
    mutationFn: (edit: FlowEdit) => fetchJson<Flow>(`/api/orgs/${orgId}/flows/${flowId}`, { method: "PATCH", body: edit }),
    onMutate: async (edit) => {
      setSaved(false);
      await Promise.all([concurrencyKey, flowKey, flowsKey].map((queryKey) => queryClient.cancelQueries({ queryKey })));
      const before = { tab: queryClient.getQueryData<FlowConcurrency>(concurrencyKey), flow: queryClient.getQueryData<Flow>(flowKey), list: queryClient.getQueryData<Flow[]>(flowsKey) };
      const { limit, behavior } = edit.concurrency;
      if (before.tab) queryClient.setQueryData<FlowConcurrency>(concurrencyKey, { ...before.tab, limit, totalSlots: limit, behavior });
      if (before.flow) queryClient.setQueryData<Flow>(flowKey, applyFlowEdit(before.flow, edit));
      if (before.list) queryClient.setQueryData<Flow[]>(flowsKey, before.list.map((f) => (f.id === flowId ? applyFlowEdit(f, edit) : f)));
      return before;
    },
    onError: (_error, _edit, before) => {
      if (before?.tab) queryClient.setQueryData(concurrencyKey, before.tab);
      if (before?.flow) queryClient.setQueryData(flowKey, before.flow);
      if (before?.list) queryClient.setQueryData(flowsKey, before.list);
    },
    onSuccess: () => setSaved(true),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: [...keys.all, "flow", flowId] }), queryClient.invalidateQueries({ queryKey: flowsKey })]),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const rate = parseRate(drafts.rate);
    const maxQueued = parseCap(drafts.maxQueued, 1);
    const debounce = parseDebounce(drafts.debounce);
    const retry = parseRetry(drafts.retry);
    const problems: Record<string, string> = {
      ...(rate.ok ? {} : Object.fromEntries(Object.entries(rate.errors).map(([f, m]) => [`rateLimit.${f}`, m!]))),
      ...(maxQueued.ok ? {} : { maxQueued: maxQueued.message }),
      ...(debounce.ok ? {} : Object.fromEntries(Object.entries(debounce.errors).map(([f, m]) => [`debounce.${f}`, m!]))),
      ...(retry.ok ? {} : Object.fromEntries(Object.entries(retry.errors).map(([f, m]) => [`retry.${f}`, m!]))),
    };
    setInvalid(problems);
    if (!rate.ok || !maxQueued.ok || !debounce.ok || !retry.ok) return;
    save.reset();
    // Empty means no limit; anything else goes to the server as typed, which judges it.
    const edit: FlowEdit = { concurrency: { limit: drafts.limit.trim() === "" ? null : Number(drafts.limit), behavior: drafts.behavior } };
    if (!same(rate.value, limits.rateLimit)) edit.rateLimit = rate.value;
    if (maxQueued.value !== limits.maxQueued) edit.maxQueued = maxQueued.value;
    if (!same(debounce.value, limits.debounce)) edit.debounce = debounce.value;
    if (!same(retry.value, limits.retry)) edit.retry = retry.value;
    save.mutate(edit);
  }

  const serverErrors = save.error instanceof ApiError ? save.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  const id = (name: string) => `${formId}-${name}`;
  const d = drafts.debounce;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="flow-settings-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="flow-settings-heading" className="text-base font-semibold">Concurrency settings</h2>
      <div className="mt-3 grid gap-4 sm:grid-cols-[10rem_1fr]">
        <div>
          <label htmlFor={id("limit")} className="block text-sm font-medium">Limit</label>
          <input id={id("limit")} type="text" inputMode="numeric" value={drafts.limit} onChange={(e) => set("limit", e.target.value)} placeholder="No limit" aria-describedby="limit-hint" className={inputClass} />
        </div>
        <div>
          <label htmlFor={id("behavior")} className="block text-sm font-medium">At the limit, a new run</label>
          <select id={id("behavior")} value={drafts.behavior} onChange={(e) => set("behavior", e.target.value as FlowBehavior)} className={inputClass}>
            {(Object.keys(BEHAVIORS) as FlowBehavior[]).map((b) => <option key={b} value={b}>{b} — {BEHAVIORS[b]}</option>)}
          </select>
        </div>
      </div>
      <p id="limit-hint" className={`mt-2 text-xs ${muted}`}>Leave the limit empty for no limit. Changes apply at the next dispatch to everything already queued.</p>

      <div className="mt-4 grid gap-4 border-t border-zinc-100 pt-4 md:grid-cols-2 dark:border-zinc-800">
        <RateFields
          idPrefix={formId}
          legend="Rate limit"
          value={drafts.rate}
          onChange={(rate) => set("rate", rate)}
          errors={{ limit: errorOf("rateLimit.limit"), periodMs: errorOf("rateLimit.periodMs"), rate: fieldError(serverErrors.filter((e) => e.field === "rateLimit"), "rateLimit") }}
          hint="At most this many of the flow's executions start in any window of this length. Leave starts empty for none."
        />
        <div>
          <label htmlFor={id("max-queued")} className="block text-sm font-medium">Backlog cap</label>
          <input
            id={id("max-queued")}
            type="text"
            inputMode="numeric"
            min={1}
            value={drafts.maxQueued}
            onChange={(e) => set("maxQueued", e.target.value)}
            placeholder="No cap"
            aria-invalid={errorOf("maxQueued") !== undefined}
            aria-describedby={describedBy(errorOf("maxQueued") && `${id("max-queued")}-error`, `${id("max-queued")}-hint`)}
            className={`${inputClass} max-w-[10rem]`}
          />
          <span id={`${id("max-queued")}-hint`} className={`mt-1 block text-xs ${muted}`}>At most this many waiting (queued and scheduled); more submissions are refused. Empty: no cap.</span>
          <FieldError id={`${id("max-queued")}-error`} message={errorOf("maxQueued")} />
        </div>
      </div>

      <fieldset className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800">
        <legend className="sr-only">Debounce</legend>
        <div className="grid gap-4 md:grid-cols-4">
          <div>
            <label htmlFor={id("debounce-source")} className="block text-sm font-medium">Debounce by</label>
            <select id={id("debounce-source")} value={d.source} onChange={(e) => set("debounce", { ...d, source: e.target.value as DebounceDraft["source"] })} className={inputClass} aria-describedby={`${id("debounce")}-hint`}>
              <option value="">No debounce</option>
              <option value="submission">The submission&apos;s debounceKey</option>
              <option value="payload">A payload value</option>
            </select>
          </div>
          {d.source !== "" && (
            <>
              {d.source === "payload" && (
                <div>
                  <label htmlFor={id("debounce-path")} className="block text-sm font-medium">Payload pointer</label>
                  <input
                    id={id("debounce-path")}
                    value={d.path}
                    onChange={(e) => set("debounce", { ...d, path: e.target.value })}
                    placeholder="/userId"
                    aria-invalid={errorOf("debounce.path") !== undefined}
                    aria-describedby={describedBy(errorOf("debounce.path") && `${id("debounce-path")}-error`)}
                    className={`${inputClass} font-mono`}
                  />
                  <FieldError id={`${id("debounce-path")}-error`} message={errorOf("debounce.path")} />
                </div>
              )}
              <DurationInput id={id("debounce-delay")} label="Delay" value={d.delay} onChange={(delay) => set("debounce", { ...d, delay })} error={errorOf("debounce.delayMs")} />
              <DurationInput id={id("debounce-max")} label="Longest delay" value={d.maxDelay} onChange={(maxDelay) => set("debounce", { ...d, maxDelay })} error={errorOf("debounce.maxDelayMs")} />
            </>
          )}
        </div>
        <p id={`${id("debounce")}-hint`} className={`mt-2 text-xs ${muted}`}>
          A submission while one with the same key still waits replaces that one&apos;s payload and pushes its start back by the delay, never past the longest delay after the first.
        </p>
        {errorOf("debounce") && !errorOf("debounce.path") && !errorOf("debounce.delayMs") && !errorOf("debounce.maxDelayMs") && <FieldError id={`${id("debounce")}-error`} message={errorOf("debounce")} />}
      </fieldset>

      <RetryFields
        idPrefix={formId}
        value={drafts.retry}
        onChange={(retry) => set("retry", retry)}
        errors={{
          maxAttempts: errorOf("retry.maxAttempts"), initialMs: errorOf("retry.initialMs") ?? errorOf("retry.backoff.initialMs"), factor: errorOf("retry.factor") ?? errorOf("retry.backoff.factor"),
          maxMs: errorOf("retry.maxMs") ?? errorOf("retry.backoff.maxMs"), jitter: errorOf("retry.jitter"),
        }}
      />

      <div className="mt-4 flex justify-end">
        <button type="submit" disabled={save.isPending} className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </div>
      {Object.keys(invalid).length > 0 && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">Not sent: correct the fields marked above.</p>}
      {save.error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">Not saved: {refusal(save.error)}</p>}
      {saved && !save.error && <p role="status" className="mt-3 text-sm text-emerald-800 dark:text-emerald-300">Saved.</p>}
    </form>
  );
}
