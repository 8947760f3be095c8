import Link from "next/link";
import { shortId } from "@/lib/client/format";
import type { Alert } from "@/lib/contract/alerts";

// One list of firing alerts (docs/operations.md, "Alerts") for the org banner and the platform
// overview: what fires, in the server's sentence, with links to the queue and the execution.

const KIND_LABEL: Record<Alert["kind"], string> = { queue_age: "Queue age", stuck_run: "Stuck run" };
const link = "font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300";

export function AlertList({ alerts, showOrg = false }: { alerts: readonly Alert[]; showOrg?: boolean }) {
  return (
    <ul className="divide-y divide-amber-200 dark:divide-amber-900/60">
      {alerts.map((a) => {
        const base = `/orgs/${a.orgId}`;
        return (
          <li key={a.id} data-testid={`alert-${a.id}`} className="py-2 text-sm first:pt-0 last:pb-0">
            <p className="break-words">
              <span className="mr-2 inline-block rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50">{KIND_LABEL[a.kind]}</span>
              {showOrg && <Link href={base} className={`${link} mr-1`}>{a.orgName}:</Link>}
              {a.message}
            </p>
            <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs">
              <Link href={`${base}/workers`} className={link}>Queue {a.queue.name}</Link>
              <Link href={`${base}/executions/${a.execution.id}`} className={link}>
                {a.kind === "queue_age" ? "Oldest execution" : "Execution"} {shortId(a.execution.id)}
              </Link>
              {a.execution.flowId && a.execution.flowName && <Link href={`${base}/flows/${a.execution.flowId}`} className={link}>Flow {a.execution.flowName}</Link>}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

export const alertFrame = "rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 shadow-sm dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50";

/** "2 alerts firing: 1 queue age, 1 stuck run". */
export function alertsInWords(counts: Record<Alert["kind"], number>): string {
  const total = counts.queue_age + counts.stuck_run;
  const parts = [counts.queue_age > 0 && `${counts.queue_age} queue age`, counts.stuck_run > 0 && `${counts.stuck_run} stuck run`].filter(Boolean);
  return `${total} alert${total === 1 ? "" : "s"} firing${parts.length ? `: ${parts.join(", ")}` : ""}`;
}
