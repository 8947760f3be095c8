"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { inputClass, muted, primaryButton, secondaryButton } from "@/components/limits/limit-parts";
import { parseLimitInput } from "@/lib/client/limits";
import { useCreateOrg } from "@/lib/client/use-access";

// Platform admins: a new organization from the overview. Name only is enough (the slug is
// made from it, weight 1, no cap); the new org's page opens once it exists.

export function NewOrgButton() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const create = useCreateOrg();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const weight = String(data.get("weight") ?? "").trim();
    const capText = String(data.get("maxConcurrency") ?? "").trim();
    // Empty: no cap (0), as the overview's table writes it.
    const cap = capText === "" ? ({ ok: true, value: 0 } as const) : parseLimitInput(capText, { min: 0, emptyAllowed: false });
    if (!/^\d+$/.test(weight) || Number(weight) < 1) return setError("Weight must be a whole number of at least 1.");
    if (!cap.ok) return setError(`Max concurrency: ${cap.message}`);
    setError(null);
    const slug = String(data.get("slug") ?? "").trim();
    create.mutate(
      { name: String(data.get("name") ?? "").trim(), weight: Number(weight), maxConcurrency: cap.value ?? 0, ...(slug ? { slug } : {}) },
      { onSuccess: (org) => router.push(`/orgs/${org.id}/access`) },
    );
  }

  return (
    <>
      <button type="button" className={primaryButton} onClick={() => setOpen(true)}>New organization</button>
      <dialog
        ref={ref}
        aria-labelledby="new-org-title"
        onClose={() => {
          setOpen(false);
          create.reset();
          setError(null);
        }}
        className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id="new-org-title" className="text-lg font-semibold">New organization</h2>
        <form onSubmit={submit} className="mt-4 space-y-3" noValidate>
          <label className="block text-sm font-medium">
            Name
            <input name="name" required maxLength={120} className={inputClass} autoFocus />
          </label>
          <label className="block text-sm font-medium">
            Slug <span className={`font-normal ${muted}`}>(optional: made from the name)</span>
            <input name="slug" maxLength={60} className={`${inputClass} font-mono`} placeholder="acme-eu" />
          </label>
          <div className="flex gap-3">
            <label className="block flex-1 text-sm font-medium">
              Weight
              <input name="weight" inputMode="numeric" defaultValue="1" className={inputClass} />
            </label>
            <label className="block flex-1 text-sm font-medium">
              Max concurrency
              <input name="maxConcurrency" inputMode="numeric" defaultValue="" placeholder="no cap" className={inputClass} />
            </label>
          </div>
          {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
          {create.error && <ProblemAlert title="Not created" error={create.error} />}
          <div className="flex justify-end gap-2 pt-2">
            <button type="button" className={secondaryButton} onClick={() => setOpen(false)}>Cancel</button>
            <button type="submit" className={primaryButton} disabled={create.isPending}>{create.isPending ? "Creating…" : "Create"}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
