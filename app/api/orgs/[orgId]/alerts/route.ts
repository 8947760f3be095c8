import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { orgAlerts as orgAlertsReply } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { orgAlerts } from "@/lib/alerts/list-alerts";

export const dynamic = "force-dynamic";

/** Evaluated at each call (docs/operations.md, "Alerts"): nothing is stored. */
export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "The org's firing alerts: queues whose oldest startable execution waits too long, executions running too long", response: orgAlertsReply },
  handler: ({ params }) => orgAlerts(pool(), params.orgId),
});
