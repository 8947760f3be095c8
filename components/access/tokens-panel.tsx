"use client";

import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { dangerButton, inputClass, muted, primaryButton } from "@/components/limits/limit-parts";
import { SecretOnce } from "./secret-once";
import { formatAgo, formatTime } from "@/lib/client/format";
import { useIssueToken, useOrgTokens, usePlatformTokens, useRevokeToken } from "@/lib/client/use-access";
import { useNow } from "@/lib/client/use-now";
import type { ApiToken } from "@/lib/contract/orgs";
import { ScrollRegion } from "@/components/scroll-region";

// API tokens (docs/api.md, "Tokens"): an org's admins issue worker tokens for their org; on the
// platform overview, platform admins issue platform-admin tokens and workers for every org and
// see every token. The secret is shown once, right after it is issued; revoking asks first.

export function TokensPanel({ orgId, orgs = [] }: { orgId: string | null; orgs?: readonly { id: string; name: string }[] }) {
  const orgNames = new Map(orgs.map((o) => [o.id, o.name]));
  const org = useOrgTokens(orgId ?? "", orgId !== null);
  // Only the list shown is fetched: an org's admins may not read the platform's.
  const platform = usePlatformTokens(orgId === null);
  const tokens = orgId ? org : platform;
  const revoke = useRevokeToken(orgId);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const now = useNow();
  const scopeOf = (t: ApiToken) =>
    t.kind === "platform_admin" ? "Platform admin" : t.kind === "user" ? `As ${t.userEmail ?? "a user"}` : t.orgId ? `Worker · ${orgNames.get(t.orgId) ?? "this organization"}` : "Worker · every organization";
  return (
    <div className="space-y-4">
      <IssueTokenForm orgId={orgId} />
      {tokens.isError && <ProblemAlert title="Could not load the tokens" error={tokens.error} />}
      <ScrollRegion label="API tokens">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">API tokens</caption>
          <thead className={`border-b border-zinc-200 text-xs uppercase tracking-wide dark:border-zinc-800 ${muted}`}>
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="px-4 py-2 font-medium">Scope</th>
              <th scope="col" className="px-4 py-2 font-medium">Last used</th>
              <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {tokens.data?.length === 0 && (
              <tr><td colSpan={4} className={`px-4 py-3 ${muted}`}>No tokens yet.</td></tr>
            )}
            {tokens.data?.map((t) => (
              <tr key={t.id} className={t.revokedAt ? "opacity-60" : undefined}>
                <td className="px-4 py-2">
                  <span className="font-medium">{t.name}</span> <code className={`font-mono text-xs ${muted}`}>{t.prefix}…</code>
                </td>
                <td className="px-4 py-2">{scopeOf(t)}</td>
                <td className="px-4 py-2 tabular-nums" title={t.lastUsedAt ? formatTime(t.lastUsedAt, now) : undefined}>{formatAgo(t.lastUsedAt, now)}</td>
                <td className="px-4 py-2 text-right">
                  {t.revokedAt ? (
                    <span className={muted}>Revoked {formatTime(t.revokedAt, now)}</span>
                  ) : (
                    <button type="button" className={dangerButton} onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Anything using it is refused from now on (other app instances may accept it for a few seconds more). This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function IssueTokenForm({ orgId }: { orgId: string | null }) {
  const issue = useIssueToken(orgId);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const kind = data.get("kind") === "platform_admin" ? "platform_admin" : "worker";
    issue.mutate({ name: String(data.get("name") ?? "").trim(), kind }, { onSuccess: () => form.reset() });
  }
  return (
    <form onSubmit={submit} aria-label="Issue a token" className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-0 flex-1 basis-56 text-sm font-medium">
          Token name
          <input name="name" required maxLength={120} autoComplete="off" className={inputClass} placeholder={orgId ? "etl workers" : "deploy script"} />
        </label>
        {orgId === null && (
          <label className="text-sm font-medium">
            Kind
            <select name="kind" defaultValue="worker" className={`${inputClass} w-56`}>
              <option value="worker">Worker, every organization</option>
              <option value="platform_admin">Platform admin</option>
            </select>
          </label>
        )}
        <button type="submit" className={primaryButton} disabled={issue.isPending}>{issue.isPending ? "Issuing…" : "Issue token"}</button>
      </div>
      {orgId && <p className={`text-xs ${muted}`}>A worker token lets a worker register, claim and report executions of this organization only.</p>}
      {issue.error && <ProblemAlert title="No token issued" error={issue.error} onDismiss={() => issue.reset()} />}
      {issue.data && (
        <div role="status">
          <SecretOnce label={`Token ${issue.data.name}`} secret={issue.data.token} />
        </div>
      )}
    </form>
  );
}
