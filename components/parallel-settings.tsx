"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/client/fetch-json";
import { parseLimitInput } from "@/lib/client/limits";
import { useParallelSettingDetails, usePausedSlotsPreview } from "@/lib/client/queries";
import { environmentWarning } from "@/lib/client/settings-edits";
import { useUpdateParallelSettings } from "@/lib/client/use-parallel-settings";
import type { ParallelSettingDetails } from "@/lib/contract/orgs";
import { SETTING_NAMES, type ParallelSettings, type SettingName } from "@/lib/dispatch/policy/parallel-settings";
import { ScrollRegion } from "@/components/scroll-region";

// Parallel execution settings (the lifecycle-management seed): for each setting the
// environment's ceiling, the configured value and the one in effect, min of the two, side by
// side, with a warning where the ceiling wins. Org admins edit the configured values.

const SETTINGS: Record<SettingName, { label: string; help: string; min: number }> = {
  jobs: { label: "Jobs", help: "Top-level executions of this organization running at once.", min: 1 },
  workflows: { label: "Workflows per job", help: "Nested executions running at once under one top-level job.", min: 1 },
  access_requests: { label: "Access requests", help: "Access-request executions running at once.", min: 1 },
  max_paused_slots: { label: "Max paused slots", help: "Paused executions that give their slot back; later ones keep holding theirs. 0: no paused execution frees a slot.", min: 0 },
};

export function ParallelSettingsPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const details = useParallelSettingDetails(orgId);
  const update = useUpdateParallelSettings(orgId);
  if (!details.data) {
    if (details.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the settings: {details.error.message}</p>;
    return <div className="h-48 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" aria-label="Loading settings" />;
  }
  const serverFieldErrors = update.error instanceof ApiError ? new Map(update.error.errors.map((e) => [e.field, e.message])) : new Map<string, string>();
  const values = details.data;
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Each setting in effect is the smaller of the environment&apos;s limit, which only operators change, and the value configured here.
        {!canEdit && " Only organization admins can change the configured values."}
      </p>
      <SettingsForm
        // New server values (saved, rolled back, or edited elsewhere) reset the fields.
        key={SETTING_NAMES.map((n) => values[n].settings_value).join(":")}
        orgId={orgId}
        details={values}
        canEdit={canEdit}
        pending={update.isPending}
        serverFieldErrors={serverFieldErrors}
        onSave={(edit) => update.mutate(edit)}
      />
      {update.isError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          Not saved: {update.error.message}
        </p>
      )}
      {update.isSuccess && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">Saved.</p>}
    </div>
  );
}

const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-4 py-3 align-top text-sm tabular-nums";
const inputClass =
  "block w-28 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";

function SettingsForm({ orgId, details, canEdit, pending, serverFieldErrors, onSave }: {
  orgId: string;
  details: ParallelSettingDetails;
  canEdit: boolean;
  pending: boolean;
  serverFieldErrors: Map<string, string>;
  onSave: (edit: Partial<ParallelSettings>) => void;
}) {
  const [drafts, setDrafts] = useState(() => Object.fromEntries(SETTING_NAMES.map((n) => [n, String(details[n].settings_value)])) as Record<SettingName, string>);
  const [invalid, setInvalid] = useState<Partial<Record<SettingName, string>>>({});
  // Lowering max_paused_slots applies at once (docs/lifecycle.md): say what it does before saving.
  const pausedDraft = parseLimitInput(drafts.max_paused_slots, { min: 0, emptyAllowed: false });
  const lowering = pausedDraft.ok && pausedDraft.value !== null && pausedDraft.value < details.max_paused_slots.current_value ? pausedDraft.value : null;
  const preview = usePausedSlotsPreview(orgId, lowering);
  const pausedWarning = lowering !== null ? (preview.data?.paused.message ?? null) : details.paused.message;

  function submit(event: FormEvent) {
    event.preventDefault();
    const edit: Partial<ParallelSettings> = {};
    const problems: Partial<Record<SettingName, string>> = {};
    for (const name of SETTING_NAMES) {
      const parsed = parseLimitInput(drafts[name], { min: SETTINGS[name].min, emptyAllowed: false });
      if (!parsed.ok) problems[name] = parsed.message;
      else if (parsed.value !== details[name].settings_value) edit[name] = parsed.value!;
    }
    setInvalid(problems);
    if (Object.keys(problems).length === 0 && Object.keys(edit).length > 0) onSave(edit);
  }

  return (
    <form onSubmit={submit} noValidate>
      <ScrollRegion label="Parallel execution settings">
        <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
          <caption className="sr-only">Parallel execution settings: environment limit, configured value and value in effect</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>Setting</th>
              <th scope="col" className={th}>Environment limit <span className="font-mono normal-case">env_value</span></th>
              <th scope="col" className={th}>Configured <span className="font-mono normal-case">settings_value</span></th>
              <th scope="col" className={th}>In effect <span className="font-mono normal-case">current_value</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {SETTING_NAMES.map((name) => {
              const d = details[name];
              const warning = environmentWarning(d);
              const error = invalid[name] ?? serverFieldErrors.get(name);
              const ids = { input: `setting-${name}`, help: `setting-help-${name}`, error: `setting-error-${name}`, warning: `setting-warning-${name}` };
              return (
                <tr key={name} data-testid={`setting-${name}`}>
                  <th scope="row" className="px-4 py-3 text-left align-top text-sm font-medium">
                    {canEdit ? <label htmlFor={ids.input}>{SETTINGS[name].label}</label> : SETTINGS[name].label}
                    <span className="block font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{name}</span>
                    <span id={ids.help} className="mt-1 block max-w-xs text-xs font-normal text-zinc-500 dark:text-zinc-400">{SETTINGS[name].help}</span>
                    {warning && (
                      <span id={ids.warning} data-testid="env-warning" className="mt-2 block max-w-xs rounded-md bg-amber-50 px-2 py-1 text-xs font-medium text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
                        <span aria-hidden="true">⚠ </span>{warning}
                      </span>
                    )}
                    {name === "max_paused_slots" && pausedWarning && (
                      <span aria-live="polite" data-testid="paused-warning" className="mt-2 block max-w-xs rounded-md bg-amber-50 px-2 py-1 text-xs font-medium text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">
                        <span aria-hidden="true">⚠ </span>{pausedWarning}
                      </span>
                    )}
                  </th>
                  <td className={td} data-testid="env-value">{d.env_value}</td>
                  <td className={td} data-testid="settings-value">
                    {canEdit ? (
                      <>
                        <input
                          id={ids.input}
                          type="text"
                          inputMode="numeric"
                          min={SETTINGS[name].min}
                          step={1}
                          value={drafts[name]}
                          onChange={(e) => setDrafts({ ...drafts, [name]: e.target.value })}
                          aria-invalid={error !== undefined}
                          aria-describedby={[error ? ids.error : null, ids.help, warning ? ids.warning : null].filter(Boolean).join(" ")}
                          className={inputClass}
                        />
                        {error && <span id={ids.error} role="alert" className="mt-1 block max-w-[12rem] text-xs text-red-700 dark:text-red-300">{error}</span>}
                      </>
                    ) : (
                      d.settings_value
                    )}
                  </td>
                  <td className={`${td} font-semibold`} data-testid="current-value">{d.current_value}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      {canEdit && (
        <div className="mt-4 flex justify-end">
          <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60">
            {pending ? "Saving…" : "Save settings"}
          </button>
        </div>
      )}
    </form>
  );
}
