import "server-only";
import { z } from "zod";
import { env } from "../core/env";
import { notFound } from "../core/errors";
import type { Db } from "../db/transaction";
import { bucketSecondsFor, DEFAULT_TOP_ORGS, round2, stackTopOrgs, type BucketRow, type OrgSamples, type PlatformSamples } from "./sample-series";

// Reads of the concurrency samples (lib/samples/record-samples.ts writes them) for the charts:
// org-level rows only (flow_id IS NULL), averaged into buckets by the database so a reply
// stays small however long the window or however many orgs there are.

const DEFAULT_WINDOW_MS = 3_600_000;

export const orgSamplesQuery = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional().describe("ISO 8601 start of the window; default one hour ago, at most SAMPLE_RETENTION_HOURS back"),
});

export const platformSamplesQuery = orgSamplesQuery.extend({
  top: z.coerce.number().int().min(1).max(20).default(DEFAULT_TOP_ORGS).describe("how many of the busiest orgs to name; the rest are summed as other"),
});

/** The window actually served: never older than what is kept, never in the future. */
export function windowFrom(since: string | undefined, now: Date) {
  const oldest = now.getTime() - env().SAMPLE_RETENTION_HOURS * 3_600_000;
  const start = new Date(Math.min(now.getTime(), Math.max(oldest, since ? Date.parse(since) : now.getTime() - DEFAULT_WINDOW_MS)));
  return { start, bucketSeconds: bucketSecondsFor(now.getTime() - start.getTime()) };
}

export async function listOrgSamples(db: Db, orgId: string, query: z.infer<typeof orgSamplesQuery>, now = new Date()): Promise<OrgSamples> {
  const { start, bucketSeconds } = windowFrom(query.since, now);
  const exists = await db.query("SELECT 1 FROM organization WHERE id = $1", [orgId]);
  if (exists.rowCount === 0) throw notFound("Organization");
  const { rows } = await db.query<{ at: Date; in_flight: number; queued: number }>(
    `SELECT date_bin(make_interval(secs => $2), at, $1) AS at,
            avg(in_flight)::float8 AS in_flight, avg(queued)::float8 AS queued
       FROM concurrency_sample
      WHERE org_id = $3 AND flow_id IS NULL AND at >= $1
      GROUP BY 1 ORDER BY 1`,
    [start, bucketSeconds, orgId],
  );
  return {
    since: start.toISOString(),
    bucketSeconds,
    points: rows.map((r) => ({ at: r.at.toISOString(), inFlight: round2(r.in_flight), queued: round2(r.queued) })),
  };
}

/**
 * Every org, for platform admins. One pass over the window: a grouping set per bucket (so
 * buckets where nothing ran still show as zero) and per bucket and org, keeping only orgs
 * that had something in flight — with 1 000 mostly idle orgs that is most of the saving.
 */
export async function listPlatformSamples(db: Db, query: z.infer<typeof platformSamplesQuery>, now = new Date()): Promise<PlatformSamples> {
  const { start, bucketSeconds } = windowFrom(query.since, now);
  const { rows } = await db.query<{ at: Date; org_id: string | null; in_flight: number }>(
    `SELECT date_bin(make_interval(secs => $2), at, $1) AS at, org_id, avg(in_flight)::float8 AS in_flight
       FROM concurrency_sample
      WHERE flow_id IS NULL AND at >= $1
      GROUP BY GROUPING SETS ((1), (1, org_id))
     HAVING GROUPING(org_id) = 1 OR max(in_flight) > 0`,
    [start, bucketSeconds],
  );
  const bucketRows: BucketRow[] = rows.map((r) => ({ at: r.at, orgId: r.org_id, inFlight: r.org_id === null ? 0 : r.in_flight }));
  const ids = [...new Set(bucketRows.flatMap((r) => (r.orgId === null ? [] : [r.orgId])))];
  const names = ids.length === 0 ? [] : (await db.query<{ id: string; name: string }>("SELECT id, name FROM organization WHERE id = ANY($1::uuid[])", [ids])).rows;
  return {
    since: start.toISOString(),
    bucketSeconds,
    ...stackTopOrgs(bucketRows, new Map(names.map((n) => [n.id, n.name])), query.top),
  };
}
