import type { Lane } from "../policy/fair-order";
import type { ParallelSettings } from "../policy/parallel-settings";
import type { Tx } from "../../db/transaction";
import { laneOf, loadLanesById, type LaneRow } from "./lanes";
import { type DispatchSnapshot } from "./snapshot";

// Each lane's cap configuration (org weight and caps, project, pool, flow, queue, parent
// pipelines, platform settings), kept in memory per connection pool. Reading it through a
// seven-table join on every claim was most of a claim's cost; a lane's placement never changes,
// and everything its caps are made of bumps `dispatch_config_version` (database triggers, same
// transaction as the edit), so a claim that reads a new version drops the whole cache first.
// Claims hold the dispatch lock, so one claim at a time touches a pool's cache.

export class LaneCache {
  private version: number | null = null;
  /** `queued` and `version` in these rows are stale: each claim's snapshot supplies them. */
  private readonly lanes = new Map<number, LaneRow>();
  /** Each lane's caps, built once per configuration and environment limits. */
  private readonly built = new Map<number, Lane>();
  private limitsKey = "";

  /**
   * The snapshot's lanes, restricted to the given queue names, ready for the picker: each with
   * its configuration row, its caps under these environment limits, and the snapshot's
   * `queued` and `version` (heads still to load).
   */
  async resolve(tx: Tx, snapshot: DispatchSnapshot, queues: readonly string[] | null | undefined, limits: ParallelSettings): Promise<ActiveLane[]> {
    if (snapshot.configVersion !== this.version) {
      this.lanes.clear();
      this.built.clear();
      // The version read before loading: a change committed in between is seen as a newer
      // version by the next claim, which then reloads again (never the other way round).
      this.version = snapshot.configVersion;
    }
    const limitsKey = `${limits.jobs}:${limits.workflows}:${limits.access_requests}:${limits.max_paused_slots}`;
    if (limitsKey !== this.limitsKey) {
      this.built.clear();
      this.limitsKey = limitsKey;
    }
    const missing = snapshot.lanes.filter(([id]) => !this.lanes.has(id)).map(([id]) => id);
    for (const row of await loadLanesById(tx, missing)) {
      this.lanes.set(row.id, row);
    }
    // Lanes empty for good (finished pipelines) would otherwise pile up.
    if (this.lanes.size > 4 * snapshot.lanes.length + 1_000) {
      const active = new Set(snapshot.lanes.map(([id]) => id));
      for (const id of this.lanes.keys()) {
        if (!active.has(id)) {
          this.lanes.delete(id);
          this.built.delete(id);
        }
      }
    }
    const wanted = queues && queues.length > 0 ? new Set(queues) : null;
    const resolved: ActiveLane[] = [];
    for (const [id, queued, version] of snapshot.lanes) {
      const row = this.lanes.get(id);
      // A lane gone since the snapshot (its org was deleted) has nothing to dispatch.
      if (!row || (wanted && !wanted.has(row.queue_name))) continue;
      let lane = this.built.get(id);
      if (!lane) this.built.set(id, (lane = laneOf(row, limits)));
      resolved.push({ row, queued, version, lane: { ...lane, heads: [] } });
    }
    return resolved;
  }
}

/** A lane with queued work, as a claim sees it. */
export interface ActiveLane {
  /** Configuration; its own `queued` and `version` are stale (use the ones beside it). */
  row: LaneRow;
  queued: number;
  version: number;
  lane: Lane;
}
