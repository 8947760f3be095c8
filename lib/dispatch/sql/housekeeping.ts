import { statement, type Db } from "../../db/transaction";

// What piles up and nobody needs once it is over (docs/limits.md): starts whose rate window
// has passed, idempotency keys past their retention, and lanes that are empty for good (a key
// value, a pipeline's children). Each statement removes a bounded batch, so a sweep never
// holds a transaction for long; what is left goes in the next sweep. None of it takes the
// dispatch lock: nothing a decision reads changes (a passed start is not counted, an expired
// key not honoured, an empty lane not in any snapshot).

const BATCH = 10_000;

const passedStarts = statement<{ n: number }>(
  "slotwise_delete_passed_charges",
  `WITH gone AS (
     DELETE FROM rate_charge WHERE id IN (SELECT id FROM rate_charge WHERE expires_at <= now() LIMIT ${BATCH}) RETURNING starts)
   SELECT coalesce(sum((SELECT sum(s) FROM unnest(starts) s)), 0)::int AS n FROM gone`,
);

const expiredKeys = statement<{ n: number }>(
  "slotwise_delete_expired_idempotency_keys",
  `WITH gone AS (
     DELETE FROM idempotency_key k USING (
       SELECT org_id, key FROM idempotency_key WHERE expires_at <= now() LIMIT ${BATCH}) x
      WHERE k.org_id = x.org_id AND k.key = x.key AND k.expires_at <= now() RETURNING 1)
   SELECT count(*)::int AS n FROM gone`,
);

// A lane locked by a submission that is joining it is skipped, and `queued = 0` is checked
// again on the locked row. An execution joins a lane only by locking it (the upsert at submit),
// and live ones never leave it, so a lane found with none live or waiting stays empty.
// Live is found through the indexes dispatch keeps anyway: queued ones by the lane index,
// running ones (every one holds a slot: a table check says so) by the in-flight index, paused
// ones by theirs; an index of live executions by lane cost each start an index entry.
const emptyLanes = statement<{ n: number }>(
  "slotwise_delete_empty_lanes",
  `WITH empty AS (
     SELECT l.id FROM dispatch_lane l
      WHERE l.queued = 0
        AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.lane_id = l.id AND e.state = 'QUEUED')
        AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.lane_id = l.id AND e.holds_slot)
        AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.lane_id = l.id AND e.state = 'PAUSED')
        AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.waiting_lane_id = l.id)
      LIMIT ${BATCH / 10}
      FOR UPDATE SKIP LOCKED),
   gone AS (DELETE FROM dispatch_lane l USING empty WHERE l.id = empty.id AND l.queued = 0 RETURNING 1)
   SELECT count(*)::int AS n FROM gone`,
);

export async function sweepLeftovers(db: Db): Promise<{ starts: number; keys: number; lanes: number }> {
  const starts = (await passedStarts(db, [])).rows[0]!.n;
  const keys = (await expiredKeys(db, [])).rows[0]!.n;
  const lanes = (await emptyLanes(db, [])).rows[0]!.n;
  return { starts, keys, lanes };
}
