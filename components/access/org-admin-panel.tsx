"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { dangerButton, inputClass, muted, primaryButton } from "@/components/limits/limit-parts";
import { useDeleteOrg, useOrgInfo, useRenameOrg } from "@/lib/client/use-access";

// Platform admins: an org's name and slug, and deleting it (its live executions are ended
// first, then it goes with everything it owns; docs/operations.md, "Onboarding a tenant").

export function OrgAdminPanel({ orgId }: { orgId: string }) {
  const info = useOrgInfo(orgId);
  const rename = useRenameOrg(orgId);
  const remove = useDeleteOrg(orgId);
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  if (info.isError) return <ProblemAlert title="Could not load the organization" error={info.error} />;
  if (!info.data) return <p className={`text-sm ${muted}`}>Loading…</p>;
  const org = info.data;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    const slug = String(data.get("slug") ?? "").trim();
    const edit = { ...(name !== org.name ? { name } : {}), ...(slug !== org.slug ? { slug } : {}) };
    if (Object.keys(edit).length > 0) rename.mutate(edit, { onSuccess: () => router.refresh() });
  }

  return (
    <div className="space-y-4">
      <form key={`${org.name}/${org.slug}`} onSubmit={submit} aria-label="Rename the organization" className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-end gap-3">
          <label className="min-w-0 flex-1 basis-56 text-sm font-medium">
            Name
            <input name="name" required maxLength={120} defaultValue={org.name} className={inputClass} />
          </label>
          <label className="min-w-0 flex-1 basis-40 text-sm font-medium">
            Slug
            <input name="slug" required maxLength={60} defaultValue={org.slug} className={`${inputClass} font-mono`} aria-describedby="slug-hint" />
          </label>
          <button type="submit" className={primaryButton} disabled={rename.isPending}>{rename.isPending ? "Saving…" : "Save"}</button>
        </div>
        <p id="slug-hint" className={`text-xs ${muted}`}>The slug names the organization in the CLI (<code>--org {org.slug}</code>): lower-case letters, digits and hyphens.</p>
        {rename.error && <ProblemAlert title="Not renamed" error={rename.error} onDismiss={() => rename.reset()} />}
        {rename.isSuccess && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">Saved.</p>}
      </form>
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-red-200 bg-white p-4 dark:border-red-900 dark:bg-zinc-900">
        <p className="text-sm">
          <span className="font-medium">Delete this organization.</span> <span className={muted}>Its queued executions are cancelled and its running ones killed, then it goes with its projects, flows, people&apos;s access and tokens.</span>
        </p>
        <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>Delete organization</button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${org.name}?`}
        confirmLabel="Delete"
        pending={remove.isPending}
        disabled={typed !== org.slug}
        error={remove.error?.message}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => router.push("/orgs") })}
        onClose={() => {
          setConfirming(false);
          setTyped("");
          remove.reset();
        }}
      >
        <p>This cannot be undone. Type the slug <code className="font-mono">{org.slug}</code> to confirm.</p>
        <label className="mt-3 block text-sm font-medium">
          Slug
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className={`${inputClass} font-mono`} />
        </label>
      </ConfirmDialog>
    </div>
  );
}
