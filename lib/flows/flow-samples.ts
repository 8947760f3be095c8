import "server-only";
import { z } from "zod";
import { env } from "../env";
import { notFound } from "../errors";
import type { Db } from "../scheduler/sql/tx";

/**
 * One flow's in-flight and queued over time, for the chart on its concurrency tab: the
 * flow rows of concurrency_sample (lib/scheduler/samples.ts writes them every few seconds),
 * averaged by the database into at most MAX_POINTS buckets so a reply stays small.
 */
export const flowSamplesQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional().describe("ISO 8601 start of the window; default one hour ago, at most SAMPLE_RETENTION_HOURS back"),
});

const DEFAULT_WINDOW_MS = 3_600_000;
/** The sweeper's sampling interval: no bucket is finer. */
const SAMPLE_EVERY_SECONDS = 5;
const MAX_POINTS = 120;

export interface FlowSamples {
  flowId: string;
  since: string;
  bucketSeconds: number;
  points: { at: string; inFlight: number; queued: number }[];
}

export async function listFlowSamples(db: Db, flowId: string, scope: readonly string[] | "all", query: z.infer<typeof flowSamplesQuery>, now = new Date()): Promise<FlowSamples> {
  const flow = await db.query("SELECT 1 FROM flow WHERE id = $1 AND ($2::uuid[] IS NULL OR org_id = ANY($2))", [flowId, scope === "all" ? null : scope]);
  if (flow.rowCount === 0) throw notFound("Flow");
  const oldest = now.getTime() - env().SAMPLE_RETENTION_HOURS * 3_600_000;
  const requested = query.since ? Date.parse(query.since) : now.getTime() - DEFAULT_WINDOW_MS;
  const start = new Date(Math.min(now.getTime(), Math.max(oldest, requested)));
  const perPoint = (now.getTime() - start.getTime()) / 1000 / MAX_POINTS;
  const bucketSeconds = Math.max(1, Math.ceil(perPoint / SAMPLE_EVERY_SECONDS)) * SAMPLE_EVERY_SECONDS;
  const { rows } = await db.query<{ at: Date; in_flight: number; queued: number }>(
    `SELECT date_bin(make_interval(secs => $2), at, $1) AS at,
            avg(in_flight)::float8 AS in_flight, avg(queued)::float8 AS queued
       FROM concurrency_sample
      WHERE flow_id = $3 AND at >= $1
      GROUP BY 1 ORDER BY 1`,
    [start, bucketSeconds, flowId],
  );
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return {
    flowId,
    since: start.toISOString(),
    bucketSeconds,
    points: rows.map((r) => ({ at: r.at.toISOString(), inFlight: round2(r.in_flight), queued: round2(r.queued) })),
  };
}
