"use client";

import { useResumeExecution } from "@/lib/client/execution-actions";
import { shortId } from "@/lib/client/format";

/**
 * Approve a paused execution waiting for approval, or end a delay early (docs/lifecycle.md,
 * "Pauses"): it goes back to the queue ahead of new work, in the slot it kept if it kept one.
 * For org admins; the caller decides whether to show it.
 */
export function ResumeButton({ orgId, id, waitingFor, size = "md" }: { orgId: string; id: string; waitingFor: "delay" | "approval"; size?: "sm" | "md" }) {
  const resume = useResumeExecution(orgId);
  const label = waitingFor === "approval" ? "Approve" : "Resume now";
  const box = size === "sm" ? "px-2.5 py-1 text-xs" : "px-3 py-1.5 text-sm";
  return (
    <span className="inline-flex flex-col items-end">
      <button
        type="button"
        disabled={resume.isPending}
        onClick={() => resume.mutate(id)}
        aria-label={size === "sm" ? `${label} execution ${shortId(id)}` : undefined}
        className={`rounded-md bg-emerald-700 font-medium text-white hover:bg-emerald-800 disabled:opacity-60 ${box}`}
      >
        {resume.isPending ? `${label}…` : label}
      </button>
      {resume.error && <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">Could not {label.toLowerCase()}: {resume.error.message}</span>}
    </span>
  );
}
