"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { validateOrgEdit, type OrgEditResult } from "@/lib/client/org-edit";

export interface EditableOrg {
  organizationId: string;
  name: string;
  weight: number;
  maxConcurrency: number;
}

/**
 * Weight and max concurrency of one org, in a native modal <dialog>: focus moves into it,
 * Escape closes it, and focus goes back to the button that opened it. Values are checked
 * here before anything is sent; what the server says comes back through the table.
 */
export function OrgEditDialog({ org, onClose, onSave }: { org: EditableOrg | null; onClose: () => void; onSave: (values: { weight: number; maxConcurrency: number }) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !org) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener.current?.focus();
    };
  }, [org]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="org-edit-title"
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {/* Remounted per org, so the fields start from that org's values. */}
      {org && <EditForm key={org.organizationId} org={org} onCancel={() => ref.current?.close()} onSave={onSave} />}
    </dialog>
  );
}

function EditForm({ org, onCancel, onSave }: { org: EditableOrg; onCancel: () => void; onSave: (values: { weight: number; maxConcurrency: number }) => void }) {
  const [errors, setErrors] = useState<OrgEditResult["errors"]>({});
  const id = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = validateOrgEdit({ weight: String(form.get("weight") ?? ""), maxConcurrency: String(form.get("maxConcurrency") ?? "") });
    setErrors(result.errors);
    if (!result.values) {
      // Put the keyboard where the first problem is.
      const first = result.errors.weight ? "weight" : "maxConcurrency";
      (event.currentTarget.elements.namedItem(first) as HTMLInputElement | null)?.focus();
      return;
    }
    onSave(result.values);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5 p-6">
      <div>
        <h2 id="org-edit-title" className="text-lg font-semibold">Edit {org.name}</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Changes apply from the next dispatch and are recorded in the audit log.</p>
      </div>
      <Field
        id={`${id}-weight`}
        name="weight"
        label="Weight"
        hint="Share of throughput relative to other organizations (1 or more)."
        defaultValue={org.weight}
        error={errors.weight}
        autoFocus
      />
      <Field
        id={`${id}-max`}
        name="maxConcurrency"
        label="Max concurrency"
        hint="Most executions this organization may run at once; 0 means no limit."
        defaultValue={org.maxConcurrency}
        error={errors.maxConcurrency}
      />
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onCancel} className="rounded-md px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Cancel
        </button>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
          Save
        </button>
      </div>
    </form>
  );
}

function Field({ id, name, label, hint, defaultValue, error, autoFocus }: { id: string; name: string; label: string; hint: string; defaultValue: number; error?: string; autoFocus?: boolean }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        defaultValue={defaultValue}
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm tabular-nums shadow-sm focus:outline-none focus:ring-2 dark:bg-zinc-950 ${error ? "border-red-500 focus:ring-red-500/30" : "border-zinc-300 focus:border-indigo-500 focus:ring-indigo-500/30 dark:border-zinc-700"}`}
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{hint}</p>
      {error && <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">{error}</p>}
    </div>
  );
}
