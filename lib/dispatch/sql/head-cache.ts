import type { Head } from "../policy/fair-order";

// The next queued executions of each lane, kept in memory between claims (per connection
// pool, like lane-cache.ts). When every org is tied, a claim needs the head of every lane of
// every tied org, but takes from only a few of them; reloading them all was the largest
// part of a claim. An entry is used only while its lane's `version` (a database trigger
// changes it with every change of the lane's queued count, see the migration
// dispatch_lane_version) is the one the entry was read at: then the lane's queue is exactly
// as cached. After a claim takes heads, the entry moves to the lane's new version only if
// that claim was the single change (new version = cached + 1); anything else drops it.
//
// Changes are staged per transaction and kept only once it commits: a rolled-back claim
// must not leave behind heads without the executions it did not take after all.

interface Entry {
  version: number;
  heads: readonly Head[];
  /** Every queued execution of the lane is in `heads`. */
  complete: boolean;
}

/** Heads read per lane on a miss: later claims then find the next few in memory. */
export const HEAD_PREFETCH = 8;

export class HeadCache {
  private configVersion: number | null = null;
  private readonly committed = new Map<number, Entry>();
  private staged = new Map<number, Entry | null>();

  /** Starts a transaction's changes, discarding any an aborted attempt left. */
  begin(): void {
    this.staged = new Map();
  }

  commit(): void {
    for (const [laneId, entry] of this.staged) {
      if (entry) this.committed.set(laneId, entry);
      else this.committed.delete(laneId);
    }
    this.staged = new Map();
  }

  /**
   * Forgets everything when the dispatch configuration changed (a truncated lane table hands
   * out lane ids again) and drops lanes no longer queued once there are many of them.
   */
  sync(configVersion: number, activeCount: number, isActive: (laneId: number) => boolean): void {
    if (configVersion !== this.configVersion) {
      this.committed.clear();
      this.staged.clear();
      this.configVersion = configVersion;
    }
    if (this.committed.size > 4 * activeCount + 1_000) {
      for (const laneId of this.committed.keys()) if (!isActive(laneId)) this.committed.delete(laneId);
    }
  }

  private entry(laneId: number): Entry | undefined {
    return this.staged.has(laneId) ? (this.staged.get(laneId) ?? undefined) : this.committed.get(laneId);
  }

  /** The lane's first `count` heads (or more), if cached at this version. */
  get(laneId: number, version: number, count: number): readonly Head[] | null {
    const entry = this.entry(laneId);
    return entry && entry.version === version && (entry.complete || entry.heads.length >= count) ? entry.heads : null;
  }

  /** Heads just read, at the version read in the same statement. */
  remember(laneId: number, version: number, heads: readonly Head[], complete: boolean): void {
    this.staged.set(laneId, { version, heads, complete });
  }

  /**
   * A claim took `taken` from this lane and left it at `newVersion` (null: the lane was not
   * updated, so its queue changed under the claim).
   */
  claimed(laneId: number, newVersion: number | null, taken: ReadonlySet<string>): void {
    const entry = this.entry(laneId);
    this.staged.set(
      laneId,
      entry && newVersion === entry.version + 1
        ? { version: newVersion, heads: entry.heads.filter((h) => !taken.has(h.id)), complete: entry.complete }
        : null,
    );
  }
}
