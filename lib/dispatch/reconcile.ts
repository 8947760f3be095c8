import { pausedSlotHolders } from "./policy/paused-slots";
import { effectiveSettings } from "./policy/parallel-settings";
import { type Db } from "../db/transaction";
import { withDispatchTransaction } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";

// The only counters Slotwise keeps are the lanes' queued counts; in-flight is always
// recounted from execution rows. Reconcile recounts the lanes, repairs any drift and reports
// it, and checks that paused executions hold exactly the slots max_paused_slots says. In a
// healthy system every figure it returns is zero.

export interface ReconcileReport {
  laneDrift: { laneId: number; counted: number; recounted: number }[];
  pausedSlotMismatches: string[];
}

export async function reconcile(db: Db, options: { repair: boolean } = { repair: true }, overrides: Partial<SchedulerOptions> = {}): Promise<ReconcileReport> {
  const { envLimits } = schedulerOptions(overrides);
  return withDispatchTransaction(db, async (tx) => {
    const drift = await tx.query<{ lane_id: number; counted: number; recounted: number }>(
      `SELECT l.id AS lane_id, l.queued AS counted, COALESCE(c.n, 0)::int AS recounted
         FROM dispatch_lane l
         LEFT JOIN (SELECT lane_id, count(*) AS n FROM execution WHERE state = 'QUEUED' AND NOT holds_slot GROUP BY lane_id) c ON c.lane_id = l.id
        WHERE l.queued <> COALESCE(c.n, 0)`,
    );
    if (options.repair && drift.rows.length > 0) {
      await tx.query(
        `UPDATE dispatch_lane l SET queued = d.n FROM unnest($1::bigint[], $2::int[]) AS d(id, n) WHERE l.id = d.id`,
        [drift.rows.map((r) => r.lane_id), drift.rows.map((r) => r.recounted)],
      );
    }
    // Pause times are microseconds; a JS Date keeps milliseconds, so they travel as
    // microseconds since the epoch (exact in a double for centuries).
    const paused = await tx.query<{ id: string; org_id: string; paused_us: number; seq: number; holds_slot: boolean; max_paused_slots: number; jobs: number; workflows: number; access_requests: number }>(
      `SELECT e.id, e.org_id, (extract(epoch FROM e.paused_at) * 1000000)::float8 AS paused_us, e.seq, e.holds_slot,
              o.max_paused_slots, o.jobs, o.workflows, o.access_requests
         FROM execution e JOIN organization o ON o.id = e.org_id WHERE e.state = 'PAUSED'`,
    );
    const mismatches: string[] = [];
    const byOrg = new Map<string, typeof paused.rows>();
    for (const r of paused.rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
    for (const rows of byOrg.values()) {
      const org = rows[0]!;
      const limit = effectiveSettings(envLimits, org).max_paused_slots;
      const holders = pausedSlotHolders(rows.map((r) => ({ id: r.id, pausedAt: r.paused_us, seq: r.seq })), limit);
      for (const r of rows) if (holders.has(r.id) !== r.holds_slot) mismatches.push(r.id);
    }
    return {
      laneDrift: drift.rows.map((r) => ({ laneId: r.lane_id, counted: r.counted, recounted: r.recounted })),
      pausedSlotMismatches: mismatches,
    };
  });
}
