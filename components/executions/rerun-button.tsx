"use client";

import { useRouter } from "next/navigation";
import { useRerunExecution } from "@/lib/client/execution-actions";
import { shortId } from "@/lib/client/format";

/**
 * Rerun a finished execution (docs/lifecycle.md, "Rerun"): a new execution through full
 * admission, opened once it exists. Anyone who may submit in the org may rerun.
 */
export function RerunButton({ orgId, id, size = "md" }: { orgId: string; id: string; size?: "sm" | "md" }) {
  const router = useRouter();
  const rerun = useRerunExecution(orgId);
  const box = size === "sm" ? "px-2.5 py-1 text-xs" : "px-3 py-1.5 text-sm";
  return (
    <span className="inline-flex flex-col items-end">
      <button
        type="button"
        disabled={rerun.isPending}
        onClick={() => rerun.mutate(id, { onSuccess: (made) => router.push(`/orgs/${orgId}/executions/${made.id}`) })}
        aria-label={size === "sm" ? `Rerun execution ${shortId(id)}` : undefined}
        className={`rounded-md bg-indigo-700 font-medium text-white hover:bg-indigo-800 disabled:opacity-60 ${box}`}
      >
        {rerun.isPending ? "Rerunning…" : "Rerun"}
      </button>
      {rerun.error && <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">Could not rerun: {rerun.error.message}</span>}
    </span>
  );
}
