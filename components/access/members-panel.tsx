"use client";

import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { inputClass, muted, primaryButton, secondaryButton } from "@/components/limits/limit-parts";
import { SecretOnce } from "./secret-once";
import { useAddMember, useMembers, useRemoveMember, useSetMemberRole } from "@/lib/client/use-access";
import type { Member } from "@/lib/contract/orgs";

// An org's people: everyone sees who belongs; its admins add someone by email with a role,
// change a role, or remove someone (docs/operations.md, "Onboarding a tenant").

const ROLE_WORDS = { ADMIN: "Admin", MEMBER: "Member" } as const;

export function MembersPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const members = useMembers(orgId);
  const setRole = useSetMemberRole(orgId);
  const remove = useRemoveMember(orgId);
  const [removing, setRemoving] = useState<Member | null>(null);
  if (members.isError) return <ProblemAlert title="Could not load the members" error={members.error} />;
  return (
    <div className="space-y-4">
      {canEdit && <AddMemberForm orgId={orgId} />}
      {setRole.error && <ProblemAlert title="The role was not changed" error={setRole.error} onDismiss={() => setRole.reset()} />}
      <ul aria-label="Members" className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {!members.data && <li className={`px-4 py-3 text-sm ${muted}`}>Loading…</li>}
        {members.data?.length === 0 && <li className={`px-4 py-3 text-sm ${muted}`}>Nobody yet.</li>}
        {members.data?.map((m) => (
          <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
            <div className="min-w-0">
              <p className="truncate font-medium">{m.name}</p>
              <p className={`truncate ${muted}`}>{m.email}</p>
            </div>
            {canEdit ? (
              <div className="flex items-center gap-2">
                <label className="sr-only" htmlFor={`role-${m.userId}`}>Role of {m.email}</label>
                <select
                  id={`role-${m.userId}`}
                  value={m.role}
                  disabled={setRole.isPending}
                  onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as Member["role"] })}
                  className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-950"
                >
                  <option value="MEMBER">Member</option>
                  <option value="ADMIN">Admin</option>
                </select>
                <button type="button" className={secondaryButton} onClick={() => setRemoving(m)} aria-label={`Remove ${m.email}`}>Remove</button>
              </div>
            ) : (
              <span className={muted}>{ROLE_WORDS[m.role]}</span>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.email ?? ""}?`}
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing.userId, { onSuccess: () => setRemoving(null) })}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        They lose access to this organization at once. Their account stays (it may belong to other organizations).
      </ConfirmDialog>
    </div>
  );
}

function AddMemberForm({ orgId }: { orgId: string }) {
  const add = useAddMember(orgId);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    add.mutate(
      { email: String(data.get("email") ?? "").trim(), role: data.get("role") === "ADMIN" ? "ADMIN" : "MEMBER" },
      { onSuccess: () => form.reset() },
    );
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-label="Add a member">
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-0 flex-1 basis-56 text-sm font-medium">
          Email
          <input name="email" type="email" required autoComplete="off" className={inputClass} placeholder="someone@example.com" />
        </label>
        <label className="text-sm font-medium">
          Role
          <select name="role" defaultValue="MEMBER" className={`${inputClass} w-32`}>
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        <button type="submit" className={primaryButton} disabled={add.isPending}>{add.isPending ? "Adding…" : "Add"}</button>
      </div>
      <p className={`text-xs ${muted}`}>Someone without an account gets one, with a password shown here once for you to hand over.</p>
      {add.error && <ProblemAlert title="Not added" error={add.error} onDismiss={() => add.reset()} />}
      {add.data && (
        <div role="status" className="text-sm">
          <p>{add.data.email} is now {add.data.role === "ADMIN" ? "an admin" : "a member"}{add.data.newAccount ? " (new account)" : ""}.</p>
          {add.data.initialPassword && <SecretOnce label="Initial password" secret={add.data.initialPassword} />}
        </div>
      )}
    </form>
  );
}
