import "server-only";
import type { z } from "zod";
import { notFound } from "../core/errors";
import { orgSamplesQuery, windowFrom } from "./list-samples";
import { round2 } from "./sample-series";
import type { Db } from "../db/transaction";

// One flow's in-flight and queued over time, for the chart on its concurrency tab: the
// flow rows of concurrency_sample (lib/samples/record-samples.ts writes them every few seconds),
// averaged by the database into time buckets exactly as the org charts are (list-samples.ts).

export const flowSamplesQuery = orgSamplesQuery;

export interface FlowSamples {
  flowId: string;
  since: string;
  bucketSeconds: number;
  points: { at: string; inFlight: number; queued: number }[];
}

export async function listFlowSamples(db: Db, flowId: string, scope: readonly string[] | "all", query: z.infer<typeof flowSamplesQuery>, now = new Date()): Promise<FlowSamples> {
  const flow = await db.query("SELECT 1 FROM flow WHERE id = $1 AND ($2::uuid[] IS NULL OR org_id = ANY($2))", [flowId, scope === "all" ? null : scope]);
  if (flow.rowCount === 0) throw notFound("Flow");
  const { start, bucketSeconds } = windowFrom(query.since, now);
  const { rows } = await db.query<{ at: Date; in_flight: number; queued: number }>(
    `SELECT date_bin(make_interval(secs => $2), at, $1) AS at,
            avg(in_flight)::float8 AS in_flight, avg(queued)::float8 AS queued
       FROM concurrency_sample
      WHERE flow_id = $3 AND at >= $1
      GROUP BY 1 ORDER BY 1`,
    [start, bucketSeconds, flowId],
  );
  return {
    flowId,
    since: start.toISOString(),
    bucketSeconds,
    points: rows.map((r) => ({ at: r.at.toISOString(), inFlight: round2(r.in_flight), queued: round2(r.queued) })),
  };
}
