"use client";

import { useId, useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { ApiError } from "@/lib/client/fetch-json";
import { parseCap, parseRate, rateDraft } from "@/lib/client/limit-inputs";
import { fieldError, ruleKeyInWords, ruleLimitsInWords, ruleScopeInWords } from "@/lib/client/limits-view";
import { useDeleteKeyRule, useUpdateKeyRule } from "@/lib/client/use-key-rules";
import type { KeyRule } from "@/lib/contract/keys";
import { KeyOverridesList } from "./key-overrides";
import { KeysView } from "./keys-view";
import { describedBy, dangerButton, FieldError, inputClass, muted, primaryButton, RateFields, secondaryButton } from "./limit-parts";

const HEADINGS = { 2: "h2", 3: "h3", 4: "h4" } as const;

/** One key rule: what it reads and limits, its keys view and its overrides; org admins edit its limits or delete it. */
export function KeyRuleCard({ orgId, rule, canAdmin, headingLevel, names }: {
  orgId: string;
  rule: KeyRule;
  canAdmin: boolean;
  headingLevel: keyof typeof HEADINGS;
  names?: { flows?: ReadonlyMap<string, string>; queues?: ReadonlyMap<string, string> };
}) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useDeleteKeyRule(orgId);
  const Heading = HEADINGS[headingLevel];
  const scoped = rule.flowId !== null || rule.queueId !== null;
  return (
    <li aria-labelledby={headingId} data-testid={`key-rule-${rule.name}`} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-700">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <Heading id={headingId} className="text-sm font-semibold">Rule {rule.name}</Heading>
          <p className={`text-sm ${muted}`} data-testid="rule-summary">
            Key: <span className="font-mono">{ruleKeyInWords(rule.key)}</span> · {ruleLimitsInWords(rule)}
            {scoped && names && <> · over {ruleScopeInWords(rule, names)}</>}
            {rule.overrides > 0 && <> · {rule.overrides} key{rule.overrides === 1 ? "" : "s"} with an own limit</>}
          </p>
        </div>
        {canAdmin && (
          <div className="flex gap-2">
            <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)} className={secondaryButton}>
              Edit limits<span className="sr-only"> of rule {rule.name}</span>
            </button>
            <button type="button" onClick={() => setConfirmDelete(true)} className={dangerButton}>
              Delete<span className="sr-only"> rule {rule.name}</span>
            </button>
          </div>
        )}
      </div>
      {canAdmin && editing && <EditRule orgId={orgId} rule={rule} onDone={() => setEditing(false)} />}
      <KeysView orgId={orgId} rule={rule} canAdmin={canAdmin} />
      <KeyOverridesList orgId={orgId} rule={rule} canAdmin={canAdmin} />
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete rule ${rule.name}?`}
        confirmLabel="Delete rule"
        pending={remove.isPending}
        error={remove.error?.message}
        onClose={() => { setConfirmDelete(false); remove.reset(); }}
        onConfirm={() => remove.mutate(rule.id, { onSuccess: () => setConfirmDelete(false) })}
      >
        Its keys stop limiting at the next claim, and its own limits of single keys go with it. Executions keep the keys they carry.
      </ConfirmDialog>
    </li>
  );
}

/** PATCH the rule's limit and rate; the server's refusal is shown next to the field it names, the typed values kept. */
function EditRule({ orgId, rule, onDone }: { orgId: string; rule: KeyRule; onDone: () => void }) {
  const id = useId();
  const update = useUpdateKeyRule(orgId);
  const [limit, setLimit] = useState(rule.limit === null ? "" : String(rule.limit));
  const [rate, setRate] = useState(rateDraft(rule.rateLimit));
  const [invalid, setInvalid] = useState<Record<string, string>>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedLimit = parseCap(limit, 1);
    const parsedRate = parseRate(rate);
    const problems: Record<string, string> = {};
    if (!parsedLimit.ok) problems.limit = parsedLimit.message;
    if (!parsedRate.ok) for (const [f, m] of Object.entries(parsedRate.errors)) problems[`rateLimit.${f}`] = m!;
    if (parsedLimit.ok && parsedRate.ok && parsedLimit.value === null && parsedRate.value === null) problems.limit = "A rule limits something: keep a limit per key or a rate limit.";
    setInvalid(problems);
    if (Object.keys(problems).length > 0 || !parsedLimit.ok || !parsedRate.ok) return;
    update.mutate({ ruleId: rule.id, limit: parsedLimit.value, rateLimit: parsedRate.value }, { onSuccess: onDone });
  }

  const serverErrors = update.error instanceof ApiError ? update.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  const limitId = `${id}-limit`;
  return (
    <form onSubmit={submit} noValidate aria-label={`Limits of rule ${rule.name}`} className="mt-3 space-y-3 rounded-md bg-zinc-50 p-3 dark:bg-zinc-800/50">
      <div className="grid gap-4 md:grid-cols-[12rem_1fr]">
        <div>
          <label htmlFor={limitId} className="block text-sm font-medium">Running per key</label>
          <input id={limitId} type="text" inputMode="numeric" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="No limit" aria-invalid={errorOf("limit") !== undefined} aria-describedby={describedBy(errorOf("limit") && `${limitId}-error`)} className={inputClass} />
          <FieldError id={`${limitId}-error`} message={errorOf("limit")} />
        </div>
        <RateFields idPrefix={id} legend="Rate limit per key" value={rate} onChange={setRate} errors={{ limit: errorOf("rateLimit.limit"), periodMs: errorOf("rateLimit.periodMs"), rate: fieldError(serverErrors.filter((e) => e.field === "rateLimit"), "rateLimit") }} />
      </div>
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onDone} className={secondaryButton}>Cancel</button>
        <button type="submit" disabled={update.isPending} className={primaryButton}>{update.isPending ? "Applying…" : "Apply limits"}</button>
      </div>
      {update.error && <ProblemAlert title="The rule was not changed" error={update.error} />}
    </form>
  );
}
