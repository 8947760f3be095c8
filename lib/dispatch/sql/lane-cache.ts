import type { Lane } from "../policy/fair-order";
import type { ParallelSettings } from "../policy/parallel-settings";
import type { Tx } from "../../db/transaction";
import { laneOf, loadLanesById, type LaneRow } from "./lanes";

// Each lane's cap configuration (org weight and caps, project, pool, flow, queue, keys, parent
// pipelines, platform settings), kept in memory per connection pool. Reading it through a
// seven-table join on every claim was most of a claim's cost; a lane's placement never changes,
// and everything its caps are made of bumps `dispatch_config_version` (database triggers, same
// transaction as the edit), so a claim that reads a new version drops the whole cache first.
// Claims hold the dispatch lock, so one claim at a time touches a pool's cache.

export class LaneCache {
  private version: number | null = null;
  /** `queued` and `version` in these rows are stale: lane-state.ts has the current ones. */
  private readonly rows = new Map<number, LaneRow>();
  /** Each lane's caps, built once per configuration and environment limits. */
  private readonly built = new Map<number, Lane>();
  private limitsKey = "";

  /** Drops everything when the configuration version or the environment's limits changed; true if it did. */
  sync(configVersion: number, limits: ParallelSettings): boolean {
    const limitsKey = `${limits.jobs}:${limits.workflows}:${limits.access_requests}:${limits.max_paused_slots}`;
    if (configVersion === this.version && limitsKey === this.limitsKey) return false;
    // The version read before loading: a change committed in between is seen as a newer
    // version by the next claim, which then reloads again (never the other way round).
    this.version = configVersion;
    this.limitsKey = limitsKey;
    this.rows.clear();
    this.built.clear();
    return true;
  }

  /** Reads the configuration of lanes not cached yet. */
  async load(tx: Tx, ids: Iterable<number>, limits: ParallelSettings): Promise<void> {
    const missing = [...ids].filter((id) => !this.rows.has(id));
    for (const row of await loadLanesById(tx, missing)) {
      this.rows.set(row.id, row);
      this.built.set(row.id, laneOf(row, limits));
    }
  }

  row(laneId: number): LaneRow | undefined {
    return this.rows.get(laneId);
  }

  /** The lane's caps and placement, without heads (shared: copy it before giving it heads). */
  lane(laneId: number): Lane | undefined {
    return this.built.get(laneId);
  }

  /** Lanes empty for good (finished pipelines, keys gone quiet) would otherwise pile up. */
  prune(activeCount: number, isActive: (laneId: number) => boolean): void {
    if (this.rows.size <= 4 * activeCount + 1_000) return;
    for (const laneId of this.rows.keys()) {
      if (!isActive(laneId)) {
        this.rows.delete(laneId);
        this.built.delete(laneId);
      }
    }
  }
}
