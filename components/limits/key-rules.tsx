"use client";

import { useId, useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { ApiError } from "@/lib/client/fetch-json";
import { parseCap, parseRate, rateDraft } from "@/lib/client/limit-inputs";
import { fieldError } from "@/lib/client/limits-view";
import { useKeyRules } from "@/lib/client/queries";
import { useCreateKeyRule } from "@/lib/client/use-key-rules";
import { describedBy, FieldError, inputClass, muted, primaryButton, RateFields } from "./limit-parts";
import { KeyRuleCard } from "./key-rule-card";

// Concurrency key rules of one scope (docs/limits.md, "Concurrency keys"): a flow's, a queue's,
// or the org-wide ones. Each with its keys view; org admins create, edit and delete them.

export type RuleScope = { flowId: string } | { queueId: string } | "org";

const HEADINGS = { 2: "h2", 3: "h3", 4: "h4" } as const;
type Level = keyof typeof HEADINGS;

export function KeyRulesPanel({ orgId, scope, canAdmin, headingLevel = 3, title = "Key rules", names }: {
  orgId: string;
  scope: RuleScope;
  canAdmin: boolean;
  headingLevel?: Level;
  title?: string;
  names?: { flows?: ReadonlyMap<string, string>; queues?: ReadonlyMap<string, string> };
}) {
  const headingId = useId();
  const rules = useKeyRules(orgId, scope === "org" ? {} : scope);
  const shown = scope === "org" ? rules.data?.filter((r) => r.flowId === null && r.queueId === null) : rules.data;
  const Heading = HEADINGS[headingLevel];
  const what = scope === "org" ? "any of the organization's executions" : "flowId" in scope ? "the flow's executions" : "the queue's executions";
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <Heading id={headingId} className="text-base font-semibold">{title}</Heading>
      <p className={`text-sm ${muted}`}>
        A key rule limits {what} per key value — a customer, a tenant — so one busy key cannot take every slot. Limits apply at the next claim to everything queued.
      </p>
      {rules.error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the key rules: {rules.error.message}</p>}
      {rules.isPending && <div role="status" aria-label="Loading key rules" className="h-16 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {shown && shown.length === 0 && <p className={`text-sm ${muted}`} data-testid="no-key-rules">No key rules{scope === "org" ? " over the whole organization" : ""} yet.</p>}
      {shown && shown.length > 0 && (
        <ul className="space-y-4">
          {shown.map((rule) => <KeyRuleCard key={rule.id} orgId={orgId} rule={rule} canAdmin={canAdmin} headingLevel={Math.min(4, headingLevel + 1) as Level} names={names} />)}
        </ul>
      )}
      {canAdmin && <CreateKeyRule orgId={orgId} scope={scope} />}
    </section>
  );
}

/** Org admins: a new rule over this scope (POST /api/orgs/{orgId}/key-rules), the server's refusal next to each field it names. */
function CreateKeyRule({ orgId, scope }: { orgId: string; scope: RuleScope }) {
  const id = useId();
  const create = useCreateKeyRule(orgId);
  const [name, setName] = useState("");
  const [source, setSource] = useState<"payload" | "submission">("payload");
  const [path, setPath] = useState("");
  const [limit, setLimit] = useState("");
  const [rate, setRate] = useState(rateDraft(null));
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedLimit = parseCap(limit, 1);
    const parsedRate = parseRate(rate);
    const problems: Record<string, string> = {};
    if (name.trim() === "") problems.name = "Give the rule a name.";
    if (source === "payload" && !path.trim().startsWith("/")) problems["key.path"] = "Enter a JSON pointer such as /customerId.";
    if (!parsedLimit.ok) problems.limit = parsedLimit.message;
    if (!parsedRate.ok) for (const [f, m] of Object.entries(parsedRate.errors)) problems[`rateLimit.${f}`] = m!;
    if (parsedLimit.ok && parsedRate.ok && parsedLimit.value === null && parsedRate.value === null) problems.limit = "Give a limit per key, a rate limit per key, or both.";
    setInvalid(problems);
    if (Object.keys(problems).length > 0 || !parsedLimit.ok || !parsedRate.ok) return;
    setCreated(null);
    create.mutate(
      {
        name: name.trim(),
        ...(scope === "org" ? {} : scope),
        key: source === "payload" ? { source, path: path.trim() } : { source },
        ...(parsedLimit.value !== null ? { limit: parsedLimit.value } : {}),
        ...(parsedRate.value !== null ? { rateLimit: parsedRate.value } : {}),
      },
      {
        onSuccess: (rule) => {
          setCreated(rule.name);
          setName("");
          setPath("");
          setLimit("");
          setRate(rateDraft(null));
        },
      },
    );
  }

  const serverErrors = create.error instanceof ApiError ? create.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  const ids = { name: `${id}-name`, source: `${id}-source`, path: `${id}-path`, limit: `${id}-limit` };
  return (
    <details className="rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">New key rule</summary>
      <form onSubmit={submit} noValidate className="mt-3 space-y-4">
        <div className="grid gap-4 md:grid-cols-3">
          <div>
            <label htmlFor={ids.name} className="block text-sm font-medium">Rule name</label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} placeholder="per-customer" aria-invalid={errorOf("name") !== undefined} aria-describedby={describedBy(errorOf("name") && `${ids.name}-error`)} className={inputClass} />
            <FieldError id={`${ids.name}-error`} message={errorOf("name")} />
          </div>
          <div>
            <label htmlFor={ids.source} className="block text-sm font-medium">Key from</label>
            <select id={ids.source} value={source} onChange={(e) => setSource(e.target.value as "payload" | "submission")} className={inputClass}>
              <option value="payload">A payload value</option>
              <option value="submission">The submission&apos;s concurrencyKey</option>
            </select>
          </div>
          {source === "payload" && (
            <div>
              <label htmlFor={ids.path} className="block text-sm font-medium">Payload pointer</label>
              <input id={ids.path} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/customerId" aria-invalid={errorOf("key.path") !== undefined} aria-describedby={describedBy(errorOf("key.path") && `${ids.path}-error`, `${ids.path}-hint`)} className={`${inputClass} font-mono`} />
              <span id={`${ids.path}-hint`} className={`mt-1 block text-xs ${muted}`}>A JSON pointer; a submission without it is refused (422).</span>
              <FieldError id={`${ids.path}-error`} message={errorOf("key.path") ?? errorOf("key")} />
            </div>
          )}
        </div>
        <div className="grid gap-4 md:grid-cols-[12rem_1fr]">
          <div>
            <label htmlFor={ids.limit} className="block text-sm font-medium">Running per key</label>
            <input id={ids.limit} type="text" inputMode="numeric" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="No limit" aria-invalid={errorOf("limit") !== undefined} aria-describedby={describedBy(errorOf("limit") && `${ids.limit}-error`, `${ids.limit}-hint`)} className={inputClass} />
            <span id={`${ids.limit}-hint`} className={`mt-1 block text-xs ${muted}`}>Executions in flight per key. Empty: a rate limit only.</span>
            <FieldError id={`${ids.limit}-error`} message={errorOf("limit")} />
          </div>
          <RateFields
            idPrefix={id}
            legend="Rate limit per key"
            value={rate}
            onChange={setRate}
            errors={{ limit: errorOf("rateLimit.limit"), periodMs: errorOf("rateLimit.periodMs") }}
          />
        </div>
        <div className="flex flex-wrap items-center justify-end gap-3">
          {created && !create.isPending && <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">Rule {created} created.</p>}
          <button type="submit" disabled={create.isPending} className={primaryButton}>{create.isPending ? "Creating…" : "Create rule"}</button>
        </div>
        {create.error && <ProblemAlert title="The rule was not created" error={create.error} onDismiss={() => create.reset()} />}
      </form>
    </details>
  );
}
