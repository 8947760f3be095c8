import { statement, type Tx } from "../../db/transaction";

// The forced ("run now") executions still waiting for a worker, kept per connection pool
// (docs/lifecycle.md, "Run now"). Forcing bumps the configuration version, so a claim reads
// them again only when that changed: the usual claim pays nothing for break-glass. An entry
// another process started (or someone killed) meanwhile is dropped when marking it finds it
// no longer queued.

export interface ForcedEntry {
  id: string;
  orgId: string;
  queue: string;
  laneId: number;
}

const waitingForced = statement<{ forced: [string, string, string, number][] }>(
  "slotwise_forced_waiting",
  `SELECT coalesce(json_agg(json_build_array(e.id, e.org_id, q.name, e.lane_id) ORDER BY e.forced_at, e.seq), '[]') AS forced
     FROM execution e JOIN queue q ON q.id = e.queue_id
    WHERE e.forced_at IS NOT NULL AND e.state = 'QUEUED' AND e.lane_id IS NOT NULL
      -- A force is for the next start only: a forced execution paused and resumed, or retried,
      -- waits its turn like any other (forced executions are few: the history check is cheap).
      AND NOT EXISTS (SELECT 1 FROM execution_transition t WHERE t.execution_id = e.id AND t.to_state = 'RUNNING' AND t.at >= e.forced_at)`,
);

export class ForcedQueue {
  private configVersion: number | null = null;
  private entries: ForcedEntry[] = [];

  reset(): void {
    this.configVersion = null;
    this.entries = [];
  }

  /** Reads the waiting forced executions again when the configuration version moved. */
  async sync(tx: Tx, configVersion: number): Promise<void> {
    if (this.configVersion === configVersion) return;
    const { rows } = await waitingForced(tx, []);
    this.entries = rows[0]!.forced.map(([id, orgId, queue, laneId]) => ({ id, orgId, queue, laneId }));
    this.configVersion = configVersion;
  }

  /** The first `limit` a claimer of these queues (all: null) and org (any: null) may start, oldest force first. */
  take(options: { orgId: string | null; queues: readonly string[] | null; limit: number }): ForcedEntry[] {
    if (this.entries.length === 0 || options.limit <= 0) return [];
    const serves = options.queues && options.queues.length > 0 ? new Set(options.queues) : null;
    return this.entries.filter((e) => (!options.orgId || e.orgId === options.orgId) && (!serves || serves.has(e.queue))).slice(0, options.limit);
  }

  /** Tried: started now, or found started or ended by someone else. */
  drop(ids: Iterable<string>): void {
    const gone = new Set(ids);
    this.entries = this.entries.filter((e) => !gone.has(e.id));
  }
}
