"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { id as uuid } from "@/lib/contract/fields";

// The executions list's time range (by submission time, kept in the URL as ISO instants) and
// its jump to one execution by id.

const field = "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-zinc-600 dark:bg-zinc-950";

/** An ISO instant as a datetime-local input shows it (the browser's time zone), and back. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  const d = new Date(value);
  return value && !Number.isNaN(d.getTime()) ? d.toISOString() : "";
}

export function TimeFilter({ label, value, onChange }: { label: string; value: string | undefined; onChange: (iso: string) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <input id={id} type="datetime-local" value={toLocalInput(value)} onChange={(e) => onChange(fromLocalInput(e.target.value))} className={field} />
    </div>
  );
}

/** Paste an execution's id to open it. */
export function JumpToExecution({ orgId }: { orgId: string }) {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("id") ?? "").trim();
    if (!uuid.safeParse(value).success) return setError("Paste a whole execution id (a UUID, as in its page's address).");
    setError(null);
    router.push(`/orgs/${orgId}/executions/${value}`);
  }
  return (
    <form onSubmit={submit} role="search" aria-label="Open an execution by id" className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 flex-1 basis-72">
        <label htmlFor={id} className="text-sm font-medium">Execution id</label>
        <input id={id} name="id" autoComplete="off" spellCheck={false} placeholder="0b6f2c1e-…" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} className={`${field} font-mono`} />
      </div>
      <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800">Open execution</button>
      {error && <p id={`${id}-error`} role="alert" className="w-full text-sm text-red-700 dark:text-red-300">{error}</p>}
    </form>
  );
}
