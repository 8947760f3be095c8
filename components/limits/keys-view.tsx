"use client";

import { useId, useState } from "react";
import { KEYS_SHOWN, keyLimitText, keyRateText, keysShowing, type KeySort } from "@/lib/client/limits-view";
import { useRuleKeys } from "@/lib/client/queries";
import { useDebounced } from "@/lib/client/use-debounced";
import { useNow } from "@/lib/client/use-now";
import type { KeyRule } from "@/lib/contract/keys";
import { KeyLimitDialog, RemoveKeyLimitDialog } from "./key-overrides";
import { inputClass, muted } from "./limit-parts";

// The keys view of one rule (docs/limits.md, "The keys view"): each key with work running,
// queued or scheduled, its limit (its own marked) and its rate window; the top 50 in the order
// asked for, searched on the server as the typing pauses. Org admins give a key its own limit
// from its row, or take it back.

const COLUMNS: { sort: KeySort; label: string; direction: "ascending" | "descending" }[] = [
  { sort: "key", label: "Key", direction: "ascending" },
  { sort: "running", label: "Running", direction: "descending" },
  { sort: "queued", label: "Queued", direction: "descending" },
];

export function KeysView({ orgId, rule, canAdmin }: { orgId: string; rule: KeyRule; canAdmin: boolean }) {
  const id = useId();
  const now = useNow();
  const [typed, setTyped] = useState("");
  const search = useDebounced(typed.trim());
  const [sort, setSort] = useState<KeySort>("running");
  const keys = useRuleKeys(orgId, rule.id, { search, sort, limit: KEYS_SHOWN });
  const [setting, setSetting] = useState<{ key: string; limit: number | null } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const th = `px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide ${muted}`;
  const td = "px-3 py-2 text-sm tabular-nums";
  const data = keys.data;
  return (
    <div className="mt-3 space-y-2" data-testid="keys-view">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="w-full max-w-xs">
          <label htmlFor={`${id}-search`} className="block text-xs font-medium">Search keys<span className="sr-only"> of rule {rule.name}</span></label>
          <input id={`${id}-search`} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="Part of a key" className={inputClass} />
        </div>
        <p aria-live="polite" className={`text-xs ${muted}`} data-testid="keys-showing">{data ? keysShowing(data.items.length, data.total, search) : ""}</p>
      </div>
      {keys.error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the keys: {keys.error.message}</p>}
      {keys.isPending && <div role="status" aria-label={`Loading the keys of rule ${rule.name}`} className="h-16 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {data && data.items.length > 0 && (
        <div className={`relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-700 ${keys.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={keys.isPlaceholderData}>
          <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-700">
            <caption className="sr-only">Keys of rule {rule.name}. The Key, Running and Queued headers sort the keys.</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.sort} scope="col" aria-sort={sort === c.sort ? c.direction : undefined} className="px-1 py-1 text-left">
                    <button
                      type="button"
                      onClick={() => setSort(c.sort)}
                      className={`inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-semibold uppercase tracking-wide hover:bg-zinc-100 dark:hover:bg-zinc-800 ${sort === c.sort ? "text-indigo-700 dark:text-indigo-300" : muted}`}
                    >
                      {c.label}
                      <span aria-hidden="true" className="w-3">{sort === c.sort ? (c.direction === "ascending" ? "▲" : "▼") : ""}</span>
                    </button>
                  </th>
                ))}
                <th scope="col" className={th}>Scheduled</th>
                <th scope="col" className={th}>Limit</th>
                <th scope="col" className={th}>Rate window</th>
                {canAdmin && <th scope="col" className={th}><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {data.items.map((k) => {
                const full = k.limit !== null && k.running >= k.limit;
                return (
                  <tr key={k.key} data-testid={`key-row-${k.key}`}>
                    <th scope="row" className="max-w-[16rem] truncate px-3 py-2 text-left font-mono text-sm font-medium" title={k.key} data-testid="key">{k.key}</th>
                    <td className={td} data-testid="running">
                      {k.running}
                      {full && <span className="ml-1 text-xs text-amber-800 dark:text-amber-200">(full)</span>}
                    </td>
                    <td className={td} data-testid="queued">{k.queued}</td>
                    <td className={td} data-testid="scheduled">{k.scheduled}</td>
                    <td className={td} data-testid="limit">
                      {k.overridden ? <span className="rounded bg-indigo-50 px-1.5 py-0.5 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">{keyLimitText(k)}</span> : keyLimitText(k)}
                    </td>
                    <td className={`${td} whitespace-nowrap`} data-testid="rate">{keyRateText(k.rate, now)}</td>
                    {canAdmin && (
                      <td className="whitespace-nowrap px-3 py-2 text-right text-sm">
                        <button type="button" onClick={() => setSetting({ key: k.key, limit: k.overridden ? k.limit : null })} className="rounded px-2 py-1 font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950">
                          {k.overridden ? "Change" : "Set"} own limit<span className="sr-only"> of key {k.key}</span>
                        </button>
                        {k.overridden && (
                          <button type="button" onClick={() => setRemoving(k.key)} className="ml-1 rounded px-2 py-1 font-medium text-red-800 hover:bg-red-50 dark:text-red-200 dark:hover:bg-red-950/50">
                            Remove<span className="sr-only"> own limit of key {k.key}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canAdmin && <KeyLimitDialog orgId={orgId} rule={rule} target={setting} onClose={() => setSetting(null)} />}
      {canAdmin && <RemoveKeyLimitDialog orgId={orgId} rule={rule} keyValue={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}
