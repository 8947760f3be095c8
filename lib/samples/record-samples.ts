import { env } from "../core/env";
import type { Db } from "../db/transaction";

// Concurrency samples for the dashboard's charts: in-flight and queued per org and per flow,
// taken every few seconds and kept for SAMPLE_RETENTION_HOURS. Every app process runs the
// sampler; a try-lock keeps two from sampling at once, and `minSpacingMs` keeps the next from
// sampling again right after: however many processes there are, samples come one per interval.

const SAMPLER_LOCK = 0x51_07_5a;

export async function recordSamples(db: Db, now: Date = new Date(), minSpacingMs = 0): Promise<number> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ go: boolean }>(
      `SELECT pg_try_advisory_xact_lock($1)
              AND NOT ($3::float8 > 0 AND EXISTS (SELECT 1 FROM concurrency_sample WHERE at > $2::timestamptz - $3::float8 * interval '1 millisecond')) AS go`,
      [SAMPLER_LOCK, now, minSpacingMs],
    );
    if (!rows[0]?.go) {
      await client.query("ROLLBACK");
      return 0;
    }
    const inserted = await client.query(
      `INSERT INTO concurrency_sample (at, org_id, flow_id, in_flight, queued)
       SELECT $1::timestamptz, o.id, NULL::uuid,
              (SELECT count(*) FROM execution e WHERE e.org_id = o.id AND e.holds_slot),
              (SELECT COALESCE(sum(queued), 0) FROM dispatch_lane l WHERE l.org_id = o.id)
         FROM organization o
       UNION ALL
       SELECT $1::timestamptz, f.org_id, f.id,
              (SELECT count(*) FROM execution e WHERE e.flow_id = f.id AND e.holds_slot),
              (SELECT COALESCE(sum(queued), 0) FROM dispatch_lane l WHERE l.flow_id = f.id)
         FROM flow f`,
      [now],
    );
    await client.query("DELETE FROM concurrency_sample WHERE at < $1::timestamptz - $2 * interval '1 hour'", [now, env().SAMPLE_RETENTION_HOURS]);
    await client.query("COMMIT");
    return inserted.rowCount ?? 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
