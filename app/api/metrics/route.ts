import { authorize, route } from "@/lib/api/route";
import { pool } from "@/lib/db/client";
import { metrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format, for operators (a platform-admin token). */
export const GET = route({
  auth: "required",
  handler: async ({ principal }) => {
    authorize(principal, { platformAdmin: true });
    const { registry } = metrics(pool);
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
  },
});
