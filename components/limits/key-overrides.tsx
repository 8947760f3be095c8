"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ProblemAlert } from "@/components/problem-alert";
import { ApiError } from "@/lib/client/fetch-json";
import { parseKeyLimit } from "@/lib/client/limit-inputs";
import { fieldError } from "@/lib/client/limits-view";
import { useKeyOverrides } from "@/lib/client/queries";
import { useDeleteKeyOverride, usePutKeyOverride } from "@/lib/client/use-key-rules";
import type { KeyRule } from "@/lib/contract/keys";
import { describedBy, FieldError, inputClass, muted, primaryButton, secondaryButton } from "./limit-parts";

// Keys of a rule with a limit of their own (PUT / DELETE …/key-rules/{ruleId}/overrides): the
// list, a form for any key (one without work yet too), and the dialogs a key's row opens.

export function KeyOverridesList({ orgId, rule, canAdmin }: { orgId: string; rule: KeyRule; canAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  if (rule.overrides === 0 && !canAdmin) return null;
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)} className="mt-3">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">
        Own limits of keys ({rule.overrides})<span className="sr-only"> of rule {rule.name}</span>
      </summary>
      {/* Loaded only once opened: a page of many rules asks for no list nobody looks at. */}
      {open && <OverridesBody orgId={orgId} rule={rule} canAdmin={canAdmin} onRemove={setRemoving} />}
      {canAdmin && <RemoveKeyLimitDialog orgId={orgId} rule={rule} keyValue={removing} onClose={() => setRemoving(null)} />}
    </details>
  );
}

function OverridesBody({ orgId, rule, canAdmin, onRemove }: { orgId: string; rule: KeyRule; canAdmin: boolean; onRemove: (key: string) => void }) {
  const overrides = useKeyOverrides(orgId, rule.id);
  return (
    <div className="mt-2 space-y-3">
      {overrides.error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the own limits: {overrides.error.message}</p>}
      {overrides.data && overrides.data.items.length === 0 && <p className={`text-sm ${muted}`}>No key has a limit of its own: the rule&apos;s applies to every key.</p>}
      {overrides.data && overrides.data.items.length > 0 && (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-700">
          {overrides.data.items.map((o) => (
            <li key={o.key} className="flex flex-wrap items-center justify-between gap-2 px-3 py-1.5 text-sm" data-testid={`override-${o.key}`}>
              <span><span className="font-mono">{o.key}</span>: <span className="tabular-nums">{o.limit}</span></span>
              {canAdmin && (
                <button type="button" onClick={() => onRemove(o.key)} className="rounded px-2 py-1 font-medium text-red-800 hover:bg-red-50 dark:text-red-200 dark:hover:bg-red-950/50">
                  Remove<span className="sr-only"> own limit of key {o.key}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAdmin && <AddOverride orgId={orgId} rule={rule} />}
    </div>
  );
}

function AddOverride({ orgId, rule }: { orgId: string; rule: KeyRule }) {
  const id = useId();
  const put = usePutKeyOverride(orgId, rule.id);
  const [key, setKey] = useState("");
  const [limit, setLimit] = useState("");
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseKeyLimit(limit);
    const problems: Record<string, string> = {};
    if (key === "") problems.key = "Enter the key.";
    if (!parsed.ok) problems.limit = parsed.message;
    setInvalid(problems);
    if (!parsed.ok || Object.keys(problems).length > 0) return;
    put.mutate({ key, limit: parsed.value }, { onSuccess: () => { setKey(""); setLimit(""); } });
  }
  const serverErrors = put.error instanceof ApiError ? put.error.errors : [];
  const errorOf = (field: string) => invalid[field] ?? fieldError(serverErrors, field);
  return (
    <form onSubmit={submit} noValidate aria-label={`Own limit of a key of rule ${rule.name}`} className="grid items-start gap-3 sm:grid-cols-[minmax(0,1fr)_8rem_auto]">
      <div>
        <label htmlFor={`${id}-key`} className="block text-sm font-medium">Key</label>
        <input id={`${id}-key`} value={key} onChange={(e) => setKey(e.target.value)} aria-invalid={errorOf("key") !== undefined} aria-describedby={describedBy(errorOf("key") && `${id}-key-error`)} className={`${inputClass} font-mono`} />
        <FieldError id={`${id}-key-error`} message={errorOf("key")} />
      </div>
      <div>
        <label htmlFor={`${id}-limit`} className="block text-sm font-medium">Own limit</label>
        <input id={`${id}-limit`} type="text" inputMode="numeric" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} aria-invalid={errorOf("limit") !== undefined} aria-describedby={describedBy(errorOf("limit") && `${id}-limit-error`)} className={inputClass} />
        <FieldError id={`${id}-limit-error`} message={errorOf("limit")} />
      </div>
      <button type="submit" disabled={put.isPending} className={`${primaryButton} justify-self-start sm:mt-6`}>{put.isPending ? "Setting…" : "Set own limit"}</button>
      {put.error && !serverErrors.length && <div className="sm:col-span-3"><ProblemAlert title="The limit was not set" error={put.error} /></div>}
    </form>
  );
}

/**
 * A key's own limit, set from its row: a modal on the native <dialog> (focus moves into it,
 * Escape closes it, focus goes back to the row's button), open while `target` is set, kept
 * open with the server's words if it refuses.
 */
export function KeyLimitDialog({ orgId, rule, target, onClose }: { orgId: string; rule: KeyRule; target: { key: string; limit: number | null } | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const put = usePutKeyOverride(orgId, rule.id);
  const [limit, setLimit] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [shownFor, setShownFor] = useState<typeof target>(null);
  if (target !== shownFor) {
    // A new key to edit: start from its own limit (or empty), without the last one's errors.
    setShownFor(target);
    setLimit(target?.limit === null || target?.limit === undefined ? "" : String(target.limit));
    setInvalid(null);
  }
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (target && !dialog.open) dialog.showModal();
    if (!target && dialog.open) dialog.close();
  }, [target]);
  function close() {
    put.reset();
    onClose();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    const parsed = parseKeyLimit(limit);
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    put.mutate({ key: target.key, limit: parsed.value }, { onSuccess: close });
  }
  const error = invalid ?? (put.error instanceof ApiError ? fieldError(put.error.errors, "limit") : undefined);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onClose={close}
      className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`} className="text-lg font-semibold">Own limit of key <span className="font-mono">{target?.key}</span></h2>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
          Instead of the rule&apos;s {rule.limit === null ? "(none)" : rule.limit}: at most this many of the key&apos;s executions in flight. Applies at the next claim.
        </p>
        <label htmlFor={`${id}-limit`} className="mt-4 block text-sm font-medium">Own limit</label>
        <input
          id={`${id}-limit`}
          type="text"
          inputMode="numeric"
          min={1}
          autoFocus
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy(error && `${id}-error`)}
          className={inputClass}
        />
        <FieldError id={`${id}-error`} message={error ?? undefined} />
        {put.error && !error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">{put.error.message}</p>}
        <div className="mt-6 flex justify-end gap-2">
          <button type="button" onClick={close} className={secondaryButton}>Cancel</button>
          <button type="submit" disabled={put.isPending} className={primaryButton}>{put.isPending ? "Setting…" : "Set limit"}</button>
        </div>
      </form>
    </dialog>
  );
}

/** Takes a key's own limit back (after confirming): the rule's applies to it again. */
export function RemoveKeyLimitDialog({ orgId, rule, keyValue, onClose }: { orgId: string; rule: KeyRule; keyValue: string | null; onClose: () => void }) {
  const remove = useDeleteKeyOverride(orgId, rule.id);
  return (
    <ConfirmDialog
      open={keyValue !== null}
      title={`Remove the own limit of key ${keyValue ?? ""}?`}
      confirmLabel="Remove own limit"
      pending={remove.isPending}
      error={remove.error?.message}
      onClose={() => { remove.reset(); onClose(); }}
      onConfirm={() => keyValue !== null && remove.mutate(keyValue, { onSuccess: onClose })}
    >
      The rule&apos;s limit ({rule.limit === null ? "none" : rule.limit}) applies to the key again at the next claim.
    </ConfirmDialog>
  );
}
