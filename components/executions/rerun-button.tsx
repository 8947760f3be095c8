"use client";

import { useRouter } from "next/navigation";
import { useRerunExecution } from "@/lib/client/execution-actions";
import { ExecutionActionButton } from "./execution-action-button";

/**
 * Rerun a finished execution (docs/lifecycle.md, "Rerun"): a new execution through full
 * admission, opened once it exists. Anyone who may submit in the org may rerun.
 */
export function RerunButton({ orgId, id, size = "md" }: { orgId: string; id: string; size?: "sm" | "md" }) {
  const router = useRouter();
  const rerun = useRerunExecution(orgId);
  const onClick = () => rerun.mutate(id, { onSuccess: (made) => router.push(`/orgs/${orgId}/executions/${made.id}`) });
  return <ExecutionActionButton id={id} label="Rerun" pendingLabel="Rerunning…" tone="indigo" size={size} pending={rerun.isPending} error={rerun.error} onClick={onClick} />;
}
