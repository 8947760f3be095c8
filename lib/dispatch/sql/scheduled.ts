import { CHANGE_CHANNEL } from "../../db/notifications";
import { statement } from "../../db/transaction";
import type { DispatchTx } from "./transaction";

// Scheduled executions (delayed start, debounce: docs/limits.md) wait outside their lane, so
// no lane, counter or head ever holds work that cannot start. When one comes due, dispatch
// moves it into its lane: it is then queued like any other, in its place by submission order. Claims do
// this when their snapshot says something is due, and every instance's sweeper twice a second.

/** Due executions moved per statement; the rest go in the next one. */
const PROMOTE_BATCH = 10_000;

const promoteStatement = statement<{ n: number }>(
  "slotwise_promote_scheduled",
  `WITH due AS (
     SELECT id FROM execution
      WHERE waiting_lane_id IS NOT NULL AND start_after <= now()
      ORDER BY start_after LIMIT ${PROMOTE_BATCH}
      FOR UPDATE SKIP LOCKED),
   moved AS (
     UPDATE execution e SET lane_id = e.waiting_lane_id, waiting_lane_id = NULL, updated_at = now()
       FROM due WHERE e.id = due.id
     RETURNING e.lane_id, e.org_id),
   lanes AS (
     UPDATE dispatch_lane l SET queued = l.queued + c.n
       FROM (SELECT lane_id, count(*)::int AS n FROM moved GROUP BY lane_id) c
      WHERE l.id = c.lane_id),
   -- No state changes, so no history row announces it: the pages of these orgs learn it here.
   announced AS (SELECT pg_notify('${CHANGE_CHANNEL}', org_id::text) FROM (SELECT DISTINCT org_id FROM moved) o)
   SELECT count(*)::int AS n FROM moved, (SELECT count(*) FROM announced) a`,
);

/** Moves due scheduled executions into their lanes; how many moved. */
export async function promoteScheduled(tx: DispatchTx): Promise<number> {
  return (await promoteStatement(tx, [])).rows[0]?.n ?? 0;
}
