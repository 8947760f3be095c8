"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { PERIOD_UNITS, type DurationDraft, type PeriodUnit, type RateDraft } from "@/lib/client/limit-inputs";
import { backlogView, rateInWords, rateWindowView, type Rate, type RateWindow } from "@/lib/client/limits-view";
import { useNow } from "@/lib/client/use-now";

// The pieces every limits screen shares (docs/limits.md): a rate limit with its window and a
// countdown to the next start, a backlog cap's fill level, and the fields that edit them.

const fieldClass =
  "mt-1 block rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm tabular-nums shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 aria-[invalid=true]:border-red-500 dark:border-zinc-600 dark:bg-zinc-950";
export const inputClass = `${fieldClass} w-full`;
const unitClass = `${fieldClass} w-20 shrink-0`;
export const primaryButton = "rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60";
export const secondaryButton = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-600 dark:hover:bg-zinc-800";
export const dangerButton = "rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950/50";
export const muted = "text-zinc-600 dark:text-zinc-400";

/**
 * A rate limit and its window now: "3 of 10 starts in the last 1 min", and while it is used
 * up, a countdown to the next start, in text. When that moment comes the window has room
 * again: `onElapsed` (a refetch) asks the server for the new one.
 */
export function RateWindowLine({ rate, window, onElapsed, testId }: { rate: Rate | null; window: RateWindow | null; onElapsed?: () => unknown; testId?: string }) {
  const now = useNow();
  const view = rateWindowView(rate, window, now);
  const elapsed = useRef(onElapsed);
  useEffect(() => {
    elapsed.current = onElapsed;
  });
  const next = window?.nextStartAt ?? null;
  useEffect(() => {
    if (!next) return;
    const ms = Date.parse(next) - Date.now();
    if (ms < -10_000) return; // long past: the server's window is as fresh as it gets
    const timer = setTimeout(() => void elapsed.current?.(), Math.max(0, ms) + 500);
    return () => clearTimeout(timer);
  }, [next]);
  if (!view) return <span data-testid={testId}>No rate limit</span>;
  return (
    <span data-testid={testId} className="block">
      <span className="block font-medium">{rateInWords(rate)}</span>
      <span className={`block ${muted}`} data-testid={testId && `${testId}-window`}>{view.text}</span>
      {view.usedUp && view.next && (
        <span className="mt-0.5 block font-medium text-amber-800 dark:text-amber-200" data-testid={testId && `${testId}-next`}>
          Used up: {view.next}
        </span>
      )}
    </span>
  );
}

/** What waits against a backlog cap, with a fill bar (a meter: a level, not progress) when there is a cap. */
export function BacklogMeter({ queued, scheduled, cap, label, testId }: { queued: number; scheduled: number; cap: number | null; label: string; testId?: string }) {
  const id = useId();
  const view = backlogView(queued, scheduled, cap);
  return (
    <span className="block" data-testid={testId}>
      <span id={id} className="block">
        <span className="font-medium" data-testid={testId && `${testId}-text`}>{view.text}</span>
        <span className={`block text-xs ${muted}`}>{view.detail}{view.full ? " · full: new submissions are refused (429)" : ""}</span>
      </span>
      {view.cap !== null && (
        <span
          role="meter"
          aria-label={label}
          aria-describedby={id}
          aria-valuemin={0}
          aria-valuemax={view.cap}
          aria-valuenow={Math.min(view.waiting, view.cap)}
          aria-valuetext={view.text}
          className="mt-1.5 block h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <span className={`block h-full rounded-full ${view.full ? "bg-amber-500" : "bg-indigo-600 dark:bg-indigo-400"}`} style={{ width: `${view.share * 100}%` }} />
        </span>
      )}
    </span>
  );
}

/** A field's error under it (the summary alert of the form announces it; this says which field). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return <span id={id} className="mt-1 block text-xs text-red-700 dark:text-red-300">{message}</span>;
}

/** Describedby for a field: its error (when it has one) and its hint. */
export const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

/** A number and a unit: "5" "min". */
export function DurationInput({ id, label, value, onChange, error, hint }: { id: string; label: string; value: DurationDraft; onChange: (d: DurationDraft) => void; error?: string; hint?: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{label}</label>
      <div className="flex gap-2">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          min={0}
          value={value.amount}
          onChange={(e) => onChange({ ...value, amount: e.target.value })}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy(error && `${id}-error`, hint && `${id}-hint`)}
          className={`${inputClass} min-w-0`}
        />
        <UnitSelect id={`${id}-unit`} label={`Unit of ${label.toLowerCase()}`} value={value.unit} onChange={(unit) => onChange({ ...value, unit })} />
      </div>
      {hint && <span id={`${id}-hint`} className={`mt-1 block text-xs ${muted}`}>{hint}</span>}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function UnitSelect({ id, label, value, onChange }: { id: string; label: string; value: PeriodUnit; onChange: (unit: PeriodUnit) => void }) {
  return (
    <>
      <label htmlFor={id} className="sr-only">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as PeriodUnit)} className={unitClass}>
        {(Object.keys(PERIOD_UNITS) as PeriodUnit[]).map((u) => <option key={u} value={u}>{u}</option>)}
      </select>
    </>
  );
}

/** A rate limit's two fields (starts per window) in a group named by `legend`; empty starts remove it. */
export function RateFields({ idPrefix, legend, value, onChange, errors, hint = "Leave starts empty for no rate limit." }: {
  idPrefix: string;
  legend: string;
  value: RateDraft;
  onChange: (draft: RateDraft) => void;
  errors: { limit?: string; periodMs?: string; rate?: string };
  hint?: string;
}) {
  const ids = { limit: `${idPrefix}-rate-limit`, period: `${idPrefix}-rate-period`, hint: `${idPrefix}-rate-hint`, error: `${idPrefix}-rate-error` };
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="grid grid-cols-[minmax(0,6rem)_auto_minmax(0,13rem)] items-start gap-2">
        <div>
          <label htmlFor={ids.limit} className={`block text-xs ${muted}`}>Starts</label>
          <input
            id={ids.limit}
            type="text"
            inputMode="numeric"
            min={1}
            step={1}
            value={value.limit}
            placeholder="None"
            onChange={(e) => onChange({ ...value, limit: e.target.value })}
            aria-invalid={errors.limit !== undefined}
            aria-describedby={describedBy(errors.limit && `${ids.limit}-error`, ids.hint)}
            className={inputClass}
          />
          <FieldError id={`${ids.limit}-error`} message={errors.limit} />
        </div>
        <span className={`pt-7 text-sm ${muted}`} aria-hidden="true">per</span>
        <div>
          <label htmlFor={ids.period} className={`block text-xs ${muted}`}>Window</label>
          <div className="flex gap-2">
            <input
              id={ids.period}
              type="text"
              inputMode="decimal"
              min={0}
              value={value.period.amount}
              onChange={(e) => onChange({ ...value, period: { ...value.period, amount: e.target.value } })}
              aria-invalid={errors.periodMs !== undefined}
              aria-describedby={describedBy(errors.periodMs && `${ids.period}-error`, ids.hint)}
              className={`${inputClass} min-w-0`}
            />
            <UnitSelect id={`${ids.period}-unit`} label="Unit of the window" value={value.period.unit} onChange={(unit) => onChange({ ...value, period: { ...value.period, unit } })} />
          </div>
          <FieldError id={`${ids.period}-error`} message={errors.periodMs} />
        </div>
      </div>
      <span id={ids.hint} className={`mt-1 block text-xs ${muted}`}>{hint}</span>
      <FieldError id={ids.error} message={errors.rate} />
    </fieldset>
  );
}

/** A label over a value, for the summaries. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className={`text-xs font-medium uppercase tracking-wide ${muted}`}>{label}</dt>
      <dd className="mt-1 text-sm tabular-nums">{children}</dd>
    </div>
  );
}
