"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

// A confirmation for destructive actions on the native <dialog> (showModal): focus moves
// into it (Cancel, the safe choice, first), Escape closes it, and the browser returns focus
// to the button that opened it. The caller keeps it open while the action runs and shows
// the server's error inside it.

export function ConfirmDialog({
  open, title, children, confirmLabel, pending = false, disabled = false, error, onConfirm, onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  /** Not yet confirmable (a name still to type, say). */
  disabled?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">{title}</h2>
      <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">{children}</div>
      {error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">{error}</p>}
      <div className="mt-6 flex justify-end gap-2">
        <button type="button" autoFocus onClick={onClose} className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800">
          Cancel
        </button>
        <button type="button" onClick={onConfirm} disabled={pending || disabled} className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60">
          {pending ? "Working…" : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
