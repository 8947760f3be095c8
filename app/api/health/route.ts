import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  try {
    await pool().query("SELECT 1");
    return Response.json({
      status: "ok",
      database: { status: "ok", latencyMs: Math.round(performance.now() - started) },
    });
  } catch {
    return Response.json({ status: "degraded", database: { status: "unreachable" } }, { status: 503 });
  }
}
