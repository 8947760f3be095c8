import { route } from "@/lib/api/route";
import { pool } from "@/lib/db/client";
import { metrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format, for operators (a platform-admin token). */
export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Prometheus metrics", produces: "text/plain; version=0.0.4" },
  handler: async () => {
    const { registry } = metrics(pool);
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
  },
});
