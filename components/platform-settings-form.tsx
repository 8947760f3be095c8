"use client";

import { useId, useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { describeThreshold, parseThreshold, thresholdDraft } from "@/lib/client/alert-inputs";
import { ApiError } from "@/lib/client/fetch-json";
import { formatCap, parseLimitInput } from "@/lib/client/limits";
import { fieldError } from "@/lib/client/limits-view";
import { useUpdatePlatformSettings } from "@/lib/client/use-limits";
import type { PlatformSettings } from "@/lib/contract/platform";
import { describedBy, DurationInput, FieldError, inputClass, muted, primaryButton } from "./limits/limit-parts";

// Platform admins: the platform-wide settings (PUT /api/platform/settings), each 0 for no cap,
// and the default alert thresholds (empty: that alert is off). Only what changed is sent; a
// refusal is shown next to the field it names.

type AlertName = "alertQueueAgeMs" | "alertStuckRunMs";
type Name = Exclude<keyof PlatformSettings, AlertName>;
const FIELDS: Record<Name, { label: string; hint: string }> = {
  globalCapacity: { label: "Global capacity", hint: "Executions in flight across every organization." },
  defaultProjectConcurrency: { label: "Default project concurrency", hint: "Max Concurrent Jobs of projects without their own." },
  defaultMaxQueued: { label: "Default backlog cap", hint: "Most executions waiting (queued and scheduled) in an organization without a backlog cap of its own; more are refused." },
  maxForcedPerOrg: { label: "Forced runs per organization", hint: "Most executions an admin may run now, ignoring caps, live at once in one organization. 0 turns run now off." },
};
const NAMES = Object.keys(FIELDS) as Name[];
const ALERT_FIELDS: Record<AlertName, { label: string; hint: string }> = {
  alertQueueAgeMs: { label: "Queue age alert after", hint: "A queue's oldest startable execution waiting longer alerts, in organizations without their own threshold. Empty: off." },
  alertStuckRunMs: { label: "Stuck run alert after", hint: "An execution running longer alerts, in organizations without their own threshold. Empty: off." },
};
const ALERT_NAMES = Object.keys(ALERT_FIELDS) as AlertName[];

export function PlatformSettingsForm({ settings }: { settings: PlatformSettings }) {
  // Here, not in the fields: new values remount the fields, and the outcome stays on screen.
  const update = useUpdatePlatformSettings();
  return (
    <details className="mt-4 border-t border-zinc-100 pt-3 dark:border-zinc-800">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">Platform settings</summary>
      <p className={`mt-2 text-xs ${muted}`}>
        Default backlog cap now: <span data-testid="default-max-queued">{formatCap(settings.defaultMaxQueued)}</span>. 0 means no cap for the first three, and no forced runs for the fourth.
        Alerts after: queue age <span data-testid="default-alert-queue-age">{describeThreshold(settings.alertQueueAgeMs, "off")}</span>, stuck run <span data-testid="default-alert-stuck-run">{describeThreshold(settings.alertStuckRunMs, "off")}</span>.
      </p>
      <Fields key={[...NAMES, ...ALERT_NAMES].map((n) => settings[n]).join(":")} settings={settings} update={update} />
      <div className="mt-3" aria-live="polite">
        {update.error && <ProblemAlert title="Platform settings not changed" error={update.error} onDismiss={() => update.reset()} />}
        {update.isSuccess && <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">Platform settings saved.</p>}
      </div>
    </details>
  );
}

function Fields({ settings, update }: { settings: PlatformSettings; update: ReturnType<typeof useUpdatePlatformSettings> }) {
  const id = useId();
  const [drafts, setDrafts] = useState(() => Object.fromEntries(NAMES.map((n) => [n, String(settings[n])])) as Record<Name, string>);
  const [alertDrafts, setAlertDrafts] = useState(() => Object.fromEntries(ALERT_NAMES.map((n) => [n, thresholdDraft(settings[n])])) as Record<AlertName, ReturnType<typeof thresholdDraft>>);
  const [invalid, setInvalid] = useState<Partial<Record<Name | AlertName, string>>>({});
  function submit(event: FormEvent) {
    event.preventDefault();
    const edit: Partial<PlatformSettings> = {};
    const problems: Partial<Record<Name | AlertName, string>> = {};
    for (const name of NAMES) {
      const parsed = parseLimitInput(drafts[name], { min: 0, emptyAllowed: false });
      if (!parsed.ok) problems[name] = parsed.message;
      else if (parsed.value !== settings[name]) edit[name] = parsed.value!;
    }
    for (const name of ALERT_NAMES) {
      const parsed = parseThreshold(alertDrafts[name], "off");
      if (!parsed.ok) problems[name] = parsed.message;
      else if (parsed.value !== settings[name]) edit[name] = parsed.value;
    }
    setInvalid(problems);
    if (Object.keys(problems).length === 0 && Object.keys(edit).length > 0) update.mutate(edit);
  }
  const serverErrors = update.error instanceof ApiError ? update.error.errors : [];
  return (
    <form onSubmit={submit} noValidate aria-label="Platform settings" className="mt-3 grid items-start gap-4 sm:grid-cols-3">
      {NAMES.map((name) => {
        const inputId = `${id}-${name}`;
        const error = invalid[name] ?? fieldError(serverErrors, name);
        return (
          <div key={name}>
            <label htmlFor={inputId} className="block text-sm font-medium">{FIELDS[name].label}</label>
            <input
              id={inputId}
              type="text"
              inputMode="numeric"
              min={0}
              value={drafts[name]}
              onChange={(e) => setDrafts({ ...drafts, [name]: e.target.value })}
              aria-invalid={error !== undefined}
              aria-describedby={describedBy(error && `${inputId}-error`, `${inputId}-hint`)}
              className={inputClass}
            />
            <span id={`${inputId}-hint`} className={`mt-1 block text-xs ${muted}`}>{FIELDS[name].hint}</span>
            <FieldError id={`${inputId}-error`} message={error} />
          </div>
        );
      })}
      {ALERT_NAMES.map((name) => (
        <DurationInput
          key={name}
          id={`${id}-${name}`}
          label={ALERT_FIELDS[name].label}
          value={alertDrafts[name]}
          onChange={(d) => setAlertDrafts({ ...alertDrafts, [name]: d })}
          error={invalid[name] ?? fieldError(serverErrors, name)}
          hint={ALERT_FIELDS[name].hint}
        />
      ))}
      <div className="sm:col-span-3 flex justify-end">
        <button type="submit" disabled={update.isPending} className={primaryButton}>{update.isPending ? "Saving…" : "Save platform settings"}</button>
      </div>
    </form>
  );
}
