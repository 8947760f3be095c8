import { capsFor, fullCaps } from "./policy/caps";
import { explain, type Reason, type ServingWorkers } from "./policy/explain";
import { servingWorkersOf, withNextStarts } from "./explain-execution";
import { capConfigOf, LANE_SELECT, placementOf, type LaneRow } from "./sql/lanes";
import { loadInFlightCounts } from "./sql/snapshot";
import { schedulerOptions } from "./options";
import { withTransaction, type Db } from "../db/transaction";

// Why each queued execution of a list waits, in one short reason per row (docs/operations.md,
// "Workers and queues"): the executions list and a flow's tab show it in a column. The same
// explain() as an execution's page, from one snapshot, but without counting what is ahead in
// fair order (per row, that would read the backlog): a row with nothing else holding it back
// gets no reason, which the screens read as "its turn in fair order".

export interface QueuedRow {
  id: string;
  org_id: string;
  lane_id: string | number | null;
  queue: string;
  state: string;
  holds_slot: boolean;
  resume_first: boolean;
  scheduled: boolean;
  start_after: Date | null;
  attempts: number;
  max_attempts: number;
}

export async function waitingReasons(db: Db, rows: readonly QueuedRow[]): Promise<Map<string, Reason | null>> {
  const queued = rows.filter((r) => r.state === "QUEUED");
  const reasons = new Map<string, Reason | null>();
  if (queued.length === 0) return reasons;
  const { envLimits } = schedulerOptions();
  return withTransaction(db, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const counts = await loadInFlightCounts(tx);
    const laneIds = [...new Set(queued.flatMap((r) => (r.lane_id === null ? [] : [Number(r.lane_id)])))];
    const lanes = new Map((await tx.query<LaneRow>(`${LANE_SELECT} WHERE l.id = ANY($1::bigint[])`, [laneIds])).rows.map((l) => [Number(l.id), l]));
    const workers = new Map<string, ServingWorkers>();
    const workersOf = async (orgId: string, queue: string) => {
      const key = `${orgId}/${queue}`;
      if (!workers.has(key)) workers.set(key, await servingWorkersOf(tx, orgId, queue));
      return workers.get(key)!;
    };
    for (const r of queued) {
      const serving = await workersOf(r.org_id, r.queue);
      const facts = { state: r.state, fullCaps: [], orgsAhead: 0, aheadInOrg: 0, queue: r.queue, workerServesQueue: serving.count > 0, workers: serving };
      let found: Reason[];
      if (r.scheduled) {
        found = explain({ ...facts, scheduledFor: r.start_after, retry: r.attempts > 0 ? { attempt: r.attempts + 1, maxAttempts: r.max_attempts } : null });
      } else if (r.holds_slot) {
        found = explain({ ...facts, resumingInSlot: true });
      } else {
        const lane = r.lane_id === null ? undefined : lanes.get(Number(r.lane_id));
        // A resumed execution is not held back by rate limits (resuming is not a start).
        const caps = lane ? capsFor(placementOf(lane), capConfigOf(lane, envLimits)).filter((cap) => !(r.resume_first && cap.periodMs !== undefined)) : [];
        found = explain({ ...facts, fullCaps: await withNextStarts(tx, fullCaps(caps, counts)) });
      }
      reasons.set(r.id, found[0] ?? null);
    }
    return reasons;
  });
}
