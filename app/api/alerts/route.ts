import { route } from "@/lib/api/route";
import { platformAlerts as platformAlertsReply } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { platformAlerts } from "@/lib/alerts/list-alerts";

export const dynamic = "force-dynamic";

/** Evaluated at each call (docs/operations.md, "Alerts"): nothing is stored. */
export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Every org's firing alerts, and per org how many", response: platformAlertsReply },
  handler: () => platformAlerts(pool()),
});
