"use client";

import Link from "next/link";
import { muted } from "@/components/limits/limit-parts";
import { usePlatformAlerts } from "@/lib/client/queries";
import { AlertList, alertFrame, alertsInWords } from "./alert-list";

/** Shown on the platform overview: how many alerts fire where. */
const LISTED = 10;

/** Platform admins: every org's firing alerts, live: a count per org and the most overdue. */
export function PlatformAlerts() {
  const alerts = usePlatformAlerts();
  const data = alerts.data;
  const total = data ? data.counts.queue_age + data.counts.stuck_run : 0;
  return (
    <section aria-labelledby="platform-alerts-heading" data-testid="platform-alerts" className={total > 0 ? alertFrame : "rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"}>
      <h2 id="platform-alerts-heading" className="text-base font-semibold">Alerts</h2>
      <div aria-live="polite">
        {alerts.isError && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">Could not load the alerts: {alerts.error.message}</p>}
        {data && total === 0 && <p className={`mt-1 text-sm ${muted}`}>No alert is firing: no queue waits, and no execution runs, past its threshold.</p>}
        {data && total > 0 && (
          <>
            <p className="mt-1 text-sm">{alertsInWords(data.counts)}.</p>
            <ul className="mt-2 flex flex-wrap gap-2 text-sm" aria-label="Alerts per organization">
              {data.orgs.map((o) => (
                <li key={o.orgId}>
                  <Link href={`/orgs/${o.orgId}`} data-testid={`platform-alerts-org-${o.orgId}`} className="inline-block rounded-md border border-amber-300 bg-white px-2 py-1 font-medium text-indigo-700 hover:bg-amber-100 dark:border-amber-800 dark:bg-zinc-900 dark:text-indigo-300 dark:hover:bg-amber-900/40">
                    {o.orgName}: {[o.queue_age > 0 && `${o.queue_age} queue age`, o.stuck_run > 0 && `${o.stuck_run} stuck run`].filter(Boolean).join(", ")}
                  </Link>
                </li>
              ))}
            </ul>
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-medium">The {Math.min(LISTED, data.alerts.length)} most overdue</summary>
              <div className="mt-2">
                <AlertList alerts={data.alerts.slice(0, LISTED)} showOrg />
              </div>
            </details>
          </>
        )}
      </div>
    </section>
  );
}
