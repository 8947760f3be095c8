"use client";

import { useOrgAlerts } from "@/lib/client/queries";
import { AlertList, alertFrame, alertsInWords } from "./alert-list";

/** An org's firing alerts, live, above its overview and its Workers tab; nothing while none fires. */
export function OrgAlerts({ orgId }: { orgId: string }) {
  const alerts = useOrgAlerts(orgId);
  return (
    <div aria-live="polite">
      {alerts.isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load the alerts: {alerts.error.message}</p>}
      {alerts.data && alerts.data.counts.queue_age + alerts.data.counts.stuck_run > 0 && <Banner data={alerts.data} />}
    </div>
  );
}

function Banner({ data }: { data: NonNullable<ReturnType<typeof useOrgAlerts>["data"]> }) {
  const shown = data.alerts.length;
  const total = data.counts.queue_age + data.counts.stuck_run;
  return (
    <section aria-labelledby={`alerts-${data.orgId}`} data-testid="org-alerts" className={alertFrame}>
      <h2 id={`alerts-${data.orgId}`} className="mb-2 text-base font-semibold">{alertsInWords(data.counts)}</h2>
      <AlertList alerts={data.alerts} />
      {shown < total && <p className="mt-2 text-xs">The {shown} most overdue are listed.</p>}
    </section>
  );
}
