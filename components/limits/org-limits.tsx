"use client";

import { useId, useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { describeThreshold, parseThreshold, thresholdDraft } from "@/lib/client/alert-inputs";
import { ApiError } from "@/lib/client/fetch-json";
import { parseCap, parseRate, rateDraft } from "@/lib/client/limit-inputs";
import { describeOrgBacklogCap, fieldError } from "@/lib/client/limits-view";
import { useOrgLimits } from "@/lib/client/queries";
import { useUpdateOrgLimits, type OrgLimitsEdit } from "@/lib/client/use-limits";
import type { OrgLimits } from "@/lib/contract/keys";
import { BacklogMeter, describedBy, DurationInput, Fact, FieldError, inputClass, muted, primaryButton, RateFields, RateWindowLine } from "./limit-parts";

/** The org's own limits (GET /api/orgs/{orgId}/limits): its rate window with the next start's countdown, its backlog's fill level and its alert thresholds, live; admins edit them. */
export function OrgLimitsCard({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const limits = useOrgLimits(orgId);
  // Here, not in the form: a save remounts the form with the new values, and its outcome stays.
  const update = useUpdateOrgLimits(orgId);
  const data = limits.data;
  return (
    <section aria-labelledby="org-limits-heading" data-testid="org-limits" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h3 id="org-limits-heading" className="text-base font-semibold">Organization</h3>
      {limits.error && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">Could not load the limits: {limits.error.message}</p>}
      {limits.isPending && <div role="status" aria-label="Loading the limits" className="mt-3 h-20 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {data && (
        <>
          <dl className="mt-3 grid gap-4 sm:grid-cols-2">
            <Fact label="Rate limit">
              <RateWindowLine rate={data.rateLimit} window={data.rateWindow} onElapsed={limits.refetch} testId="org-rate" />
            </Fact>
            <Fact label="Backlog cap">
              <span className="mb-1 block font-medium" data-testid="org-backlog-cap">{describeOrgBacklogCap(data.maxQueued, data.platformDefaultMaxQueued)}</span>
              <BacklogMeter queued={data.queued} scheduled={data.scheduled} cap={data.effectiveMaxQueued} label="Organization backlog of its cap" testId="org-backlog" />
            </Fact>
            <Fact label="Alerts after">
              <span className="block" data-testid="org-alert-thresholds">
                Queue age {describeAlert(data.alertQueueAgeMs, data.platformAlertQueueAgeMs)}; stuck run {describeAlert(data.alertStuckRunMs, data.platformAlertStuckRunMs)}
              </span>
            </Fact>
          </dl>
          {canEdit && (
            // New server values (saved, or edited elsewhere) reset the fields.
            <OrgLimitsForm key={JSON.stringify([data.rateLimit, data.maxQueued, data.alertQueueAgeMs, data.alertStuckRunMs])} limits={data} update={update} />
          )}
        </>
      )}
    </section>
  );
}

function OrgLimitsForm({ limits, update }: { limits: OrgLimits; update: ReturnType<typeof useUpdateOrgLimits> }) {
  const id = useId();
  const [rate, setRate] = useState(rateDraft(limits.rateLimit));
  const [maxQueued, setMaxQueued] = useState(limits.maxQueued === null ? "" : String(limits.maxQueued));
  const [queueAge, setQueueAge] = useState(thresholdDraft(limits.alertQueueAgeMs));
  const [stuckRun, setStuckRun] = useState(thresholdDraft(limits.alertStuckRunMs));
  const [invalid, setInvalid] = useState<Record<string, string>>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedRate = parseRate(rate);
    const parsedCap = parseCap(maxQueued, 0);
    const parsedQueueAge = parseThreshold(queueAge, "the platform's");
    const parsedStuckRun = parseThreshold(stuckRun, "the platform's");
    const problems: Record<string, string> = {};
    if (!parsedRate.ok) for (const [f, m] of Object.entries(parsedRate.errors)) problems[`rateLimit.${f}`] = m!;
    if (!parsedCap.ok) problems.maxQueued = parsedCap.message;
    if (!parsedQueueAge.ok) problems.alertQueueAgeMs = parsedQueueAge.message;
    if (!parsedStuckRun.ok) problems.alertStuckRunMs = parsedStuckRun.message;
    setInvalid(problems);
    if (!parsedRate.ok || !parsedCap.ok || !parsedQueueAge.ok || !parsedStuckRun.ok) return;
    const edit: OrgLimitsEdit = {};
    if (JSON.stringify(parsedRate.value) !== JSON.stringify(limits.rateLimit)) edit.rateLimit = parsedRate.value;
    if (parsedCap.value !== limits.maxQueued) edit.maxQueued = parsedCap.value;
    if (parsedQueueAge.value !== limits.alertQueueAgeMs) edit.alertQueueAgeMs = parsedQueueAge.value;
    if (parsedStuckRun.value !== limits.alertStuckRunMs) edit.alertStuckRunMs = parsedStuckRun.value;
    if (Object.keys(edit).length > 0) update.mutate(edit);
  }

  const serverErrors = update.error instanceof ApiError ? update.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  const capId = `${id}-max-queued`;
  const defaultText = describeOrgBacklogCap(null, limits.platformDefaultMaxQueued);
  return (
    <form onSubmit={submit} noValidate aria-label="Organization limits" className="mt-4 grid items-start gap-4 border-t border-zinc-100 pt-4 md:grid-cols-[minmax(0,1fr)_14rem_auto] dark:border-zinc-800">
      <RateFields
        idPrefix={id}
        legend="Rate limit"
        value={rate}
        onChange={setRate}
        errors={{ limit: errorOf("rateLimit.limit"), periodMs: errorOf("rateLimit.periodMs"), rate: fieldError(serverErrors.filter((e) => e.field === "rateLimit"), "rateLimit") }}
        hint="At most this many of the organization's executions start in any window of this length. Leave starts empty for none."
      />
      <div>
        <label htmlFor={capId} className="block text-sm font-medium">Backlog cap</label>
        <input
          id={capId}
          type="text"
          inputMode="numeric"
          min={0}
          value={maxQueued}
          placeholder={defaultText}
          onChange={(e) => setMaxQueued(e.target.value)}
          aria-invalid={errorOf("maxQueued") !== undefined}
          aria-describedby={describedBy(errorOf("maxQueued") && `${capId}-error`, `${capId}-hint`)}
          className={inputClass}
        />
        <span id={`${capId}-hint`} className={`mt-1 block text-xs ${muted}`}>Most executions waiting (queued and scheduled); more are refused. Empty: {defaultText.toLowerCase()}. 0: no cap.</span>
        <FieldError id={`${capId}-error`} message={errorOf("maxQueued")} />
      </div>
      <fieldset className="grid min-w-0 gap-4 sm:grid-cols-2 md:col-span-3">
        <legend className="text-sm font-medium">Alerts</legend>
        <DurationInput
          id={`${id}-alert-queue-age`}
          label="Queue age alert after"
          value={queueAge}
          onChange={setQueueAge}
          error={errorOf("alertQueueAgeMs")}
          hint={`A queue's oldest startable execution waiting longer alerts. Empty: the platform's (${describeThreshold(limits.platformAlertQueueAgeMs, "off")}).`}
        />
        <DurationInput
          id={`${id}-alert-stuck-run`}
          label="Stuck run alert after"
          value={stuckRun}
          onChange={setStuckRun}
          error={errorOf("alertStuckRunMs")}
          hint={`An execution running longer alerts. Empty: the platform's (${describeThreshold(limits.platformAlertStuckRunMs, "off")}).`}
        />
      </fieldset>
      <button type="submit" disabled={update.isPending} className={`${primaryButton} justify-self-start md:mt-6`}>{update.isPending ? "Saving…" : "Save limits"}</button>
      <div className="md:col-span-3" aria-live="polite">
        {update.error && <ProblemAlert title="The limits were not changed" error={update.error} onDismiss={() => update.reset()} />}
        {update.isSuccess && <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">Limits saved.</p>}
      </div>
    </form>
  );
}

/** "10 min (the platform's)", "30 min", "off (the platform's)". */
function describeAlert(own: number | null, platform: number | null): string {
  return own !== null ? describeThreshold(own, "off") : `${describeThreshold(platform, "off")} (the platform's)`;
}
