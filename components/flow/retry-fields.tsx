"use client";

import type { RetryDraft } from "@/lib/client/limit-inputs";
import { describedBy, DurationInput, FieldError, inputClass, muted } from "@/components/limits/limit-parts";

type RetryErrors = Partial<Record<"maxAttempts" | "initialMs" | "factor" | "maxMs" | "jitter", string>>;

/** The flow's retry policy (docs/lifecycle.md, "Retries"): empty attempts for none. */
export function RetryFields({ idPrefix, value, onChange, errors }: { idPrefix: string; value: RetryDraft; onChange: (draft: RetryDraft) => void; errors: RetryErrors }) {
  const id = (name: string) => `${idPrefix}-retry-${name}`;
  const off = value.maxAttempts.trim() === "";
  const number = (name: "factor" | "jitter", label: string, step: string) => (
    <div>
      <label htmlFor={id(name)} className="block text-sm font-medium">{label}</label>
      <input
        id={id(name)}
        type="text"
        inputMode="decimal"
        step={step}
        value={value[name]}
        disabled={off}
        onChange={(e) => onChange({ ...value, [name]: e.target.value })}
        aria-invalid={errors[name] !== undefined}
        aria-describedby={describedBy(errors[name] && `${id(name)}-error`)}
        className={`${inputClass} disabled:opacity-50`}
      />
      <FieldError id={`${id(name)}-error`} message={errors[name]} />
    </div>
  );
  return (
    <fieldset className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800">
      <legend className="sr-only">Retries</legend>
      <div className="grid gap-4 sm:grid-cols-2 md:grid-cols-5">
        <div>
          <label htmlFor={id("attempts")} className="block text-sm font-medium">Retry: attempts</label>
          <input
            id={id("attempts")}
            type="text"
            inputMode="numeric"
            min={1}
            max={100}
            value={value.maxAttempts}
            placeholder="No retries"
            onChange={(e) => onChange({ ...value, maxAttempts: e.target.value })}
            aria-invalid={errors.maxAttempts !== undefined}
            aria-describedby={describedBy(errors.maxAttempts && `${id("attempts")}-error`, `${id("hint")}`)}
            className={inputClass}
          />
          <FieldError id={`${id("attempts")}-error`} message={errors.maxAttempts} />
        </div>
        {!off && (
          <>
            <DurationInput id={id("initial")} label="First retry delay" value={value.initial} onChange={(initial) => onChange({ ...value, initial })} error={errors.initialMs} />
            {number("factor", "Retry factor", "0.1")}
            <DurationInput id={id("max")} label="Longest retry delay" value={value.max} onChange={(max) => onChange({ ...value, max })} error={errors.maxMs} />
            {number("jitter", "Retry jitter (0–1)", "0.05")}
          </>
        )}
      </div>
      <p id={id("hint")} className={`mt-2 text-xs ${muted}`}>
        A failure with attempts left runs again after its delay (first delay, times the factor each time, at most the longest delay; jitter shortens each at random). Empty: no retries, a failure is final. Applies to executions submitted from now on.
      </p>
    </fieldset>
  );
}
