import { route } from "@/lib/api/route";
import { json } from "@/lib/api/reply";
import { health, healthDegraded } from "@/lib/contract";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** App and database status, for load balancers and `npm run dev`'s start-up wait. */
export const GET = route({
  need: (who) => who.anyone(),
  doc: { summary: "App and database status (200 / 503)", response: health, other: { "503": { description: "The database is unreachable", schema: healthDegraded } } },
  handler: async () => {
    const started = performance.now();
    try {
      await pool().query("SELECT 1");
      return { status: "ok", database: { status: "ok", latencyMs: Math.round(performance.now() - started) } };
    } catch {
      return json({ status: "degraded", database: { status: "unreachable" } }, { status: 503 });
    }
  },
});
