"use client";

import { shortId } from "@/lib/client/format";

/**
 * One action on one execution, as a button with its pending label and, under it, the server's
 * refusal. `sm` is the table-row size: it names the execution for screen readers, since a row
 * of buttons all called "Rerun" says nothing on its own.
 */
export function ExecutionActionButton({ id, label, pendingLabel, tone, size, pending, error, onClick }: {
  id: string;
  label: string;
  pendingLabel: string;
  tone: "indigo" | "emerald";
  size: "sm" | "md";
  pending: boolean;
  error: Error | null;
  onClick: () => void;
}) {
  const box = size === "sm" ? "px-2.5 py-1 text-xs" : "px-3 py-1.5 text-sm";
  const color = tone === "indigo" ? "bg-indigo-700 hover:bg-indigo-800" : "bg-emerald-700 hover:bg-emerald-800";
  return (
    <span className="inline-flex flex-col items-end">
      <button
        type="button"
        disabled={pending}
        onClick={onClick}
        aria-label={size === "sm" ? `${label} execution ${shortId(id)}` : undefined}
        className={`rounded-md font-medium text-white disabled:opacity-60 ${color} ${box}`}
      >
        {pending ? pendingLabel : label}
      </button>
      {error && <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">Could not {label.toLowerCase()}: {error.message}</span>}
    </span>
  );
}
