"use client";

import { useEffect, useId, useRef, useState } from "react";
import { actionChoices, entityTypeChoices, type AuditFilter, type AuditFilters } from "@/lib/client/audit-filters";
import { useDebounced } from "@/lib/client/use-debounced";

// The audit log's filters: who (exactly as entries name them, with the people seen offered),
// what (one action or every action on one kind of object), and which object (its type and part
// of its name). The list keeps them in its URL; typed ones apply as the typing pauses.

const field = "mt-1 block w-full min-w-0 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-zinc-600 dark:bg-zinc-950";
const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800";

export function AuditFilterForm({ log, filters, actorsSeen, objectShown, onChange, onClear }: {
  log: "org" | "platform";
  filters: AuditFilters;
  /** Who the entries on screen name: suggestions for "Who". */
  actorsSeen: readonly string[];
  /** The one object whose history is shown (entityId), as its entries name it. */
  objectShown: string | null;
  onChange: (name: AuditFilter, value: string) => void;
  onClear: () => void;
}) {
  const id = useId();
  const any = Object.values(filters).some(Boolean);
  return (
    <form role="search" aria-label="Filter the audit log" className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" onSubmit={(e) => e.preventDefault()}>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextFilter label="Who" value={filters.actor} onChange={(v) => onChange("actor", v)} placeholder="admin@example.com" list={`${id}-actors`} />
        <datalist id={`${id}-actors`}>
          {actorsSeen.map((a) => <option key={a} value={a} />)}
        </datalist>
        <div>
          <label htmlFor={`${id}-action`} className="text-sm font-medium">What</label>
          <select id={`${id}-action`} value={filters.action ?? ""} onChange={(e) => onChange("action", e.target.value)} className={field}>
            <option value="">Any change</option>
            {actionChoices(log).map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.family && <option value={g.family}>{g.label}: any change</option>}
                {g.actions.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-type`} className="text-sm font-medium">Object type</label>
          <select id={`${id}-type`} value={filters.entityType ?? ""} onChange={(e) => onChange("entityType", e.target.value)} className={field}>
            <option value="">Any object</option>
            {entityTypeChoices(log).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <TextFilter label="Object name" value={filters.q} onChange={(v) => onChange("q", v)} placeholder="Part of a name" type="search" />
      </div>
      {(any || filters.entityId) && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          {filters.entityId && (
            <p className="min-w-0 break-words text-zinc-700 dark:text-zinc-300" data-testid="audit-object-filter">
              Only the history of <span className="font-medium">{objectShown ?? "one object"}</span>.{" "}
              <button type="button" className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300" onClick={() => onChange("entityId", "")}>Show every object</button>
            </p>
          )}
          <button type="button" className={`${button} ml-auto`} onClick={onClear}>Clear filters</button>
        </div>
      )}
    </form>
  );
}

/**
 * A typed filter: applied once the typing pauses. The URL can change under it (Clear filters,
 * Back): then it shows the URL's value again — unless that value is what it just applied.
 */
function TextFilter({ label, value, onChange, placeholder, list, type = "text" }: {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  placeholder: string;
  list?: string;
  type?: "text" | "search";
}) {
  const id = useId();
  const [typed, setTyped] = useState(value ?? "");
  const settled = useDebounced(typed.trim());
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if ((value ?? "") !== settled) setTyped(value ?? "");
  }
  const applied = useRef(settled);
  useEffect(() => {
    if (settled === applied.current) return;
    applied.current = settled;
    if (settled !== (value ?? "")) onChange(settled);
  }, [settled, value, onChange]);
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <input id={id} type={type} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={placeholder} list={list} autoComplete="off" spellCheck={false} className={field} />
    </div>
  );
}
