"use client";

import { useResumeExecution } from "@/lib/client/execution-actions";
import { ExecutionActionButton } from "./execution-action-button";

/**
 * Approve a paused execution waiting for approval, or end a delay early (docs/lifecycle.md,
 * "Pauses"): it goes back to the queue ahead of new work, in the slot it kept if it kept one.
 * For org admins; the caller decides whether to show it.
 */
export function ResumeButton({ orgId, id, waitingFor, size = "md" }: { orgId: string; id: string; waitingFor: "delay" | "approval"; size?: "sm" | "md" }) {
  const resume = useResumeExecution(orgId);
  const label = waitingFor === "approval" ? "Approve" : "Resume now";
  return <ExecutionActionButton id={id} label={label} pendingLabel={`${label}…`} tone="emerald" size={size} pending={resume.isPending} error={resume.error} onClick={() => resume.mutate(id)} />;
}
