import { LaneIndex } from "../policy/lane-index";
import type { RoundLane, RoundOrg } from "../policy/rounds";
import { roomUnder } from "../policy/caps";
import type { Head } from "../policy/fair-order";
import type { ParallelSettings } from "../policy/parallel-settings";
import type { Counts } from "../policy/scopes";
import type { Tx } from "../../db/transaction";
import { HEAD_PREFETCH, type HeadCache } from "./head-cache";
import type { LaneCache } from "./lane-cache";
import { loadLaneHeads } from "./lanes";

// Every lane with queued work, kept in memory per connection pool between claims (docs/dispatch.md,
// "Many lanes"): its queued count and version, and per org its lanes in the order of their
// first heads (policy/lane-index.ts). Each claim's snapshot brings only the lanes changed
// since the previous one (the horizon), so a claim costs what changed, not what exists: an
// org with 10,000 lanes (a lane per concurrency key) is walked only as far as the claim needs.
//
// It is rebuilt from scratch — all lanes with queued work — on a process's first claim, after
// the configuration changed (a deleted org or flow takes its lanes with it, which no changed
// row reports), and after a claim's transaction failed (its changes may have been seen here
// and then rolled back).

interface ActiveLane {
  queued: number;
  version: number;
  orgId: string;
  queue: string;
}

export class LaneState {
  /** The previous snapshot's horizon; null: read everything next time. */
  horizon: string | null = null;
  private readonly active = new Map<number, ActiveLane>();
  private readonly orgs = new Map<string, { index: LaneIndex; queued: number }>();

  /** Forget everything: the next claim reads every lane with queued work. */
  reset(): void {
    this.horizon = null;
    this.active.clear();
    this.orgs.clear();
  }

  get size(): number {
    return this.active.size;
  }

  /**
   * Takes in the lanes a snapshot says changed (all lanes with work, for a full read): their
   * configuration and first heads are read where not cached, and each is placed in its org's
   * order again. Lanes the snapshot names with queued 0 leave.
   */
  async apply(
    tx: Tx,
    changed: readonly [number, number, number][],
    horizon: string,
    full: boolean,
    caches: { lanes: LaneCache; heads: HeadCache; limits: ParallelSettings },
  ): Promise<void> {
    if (full) {
      this.active.clear();
      this.orgs.clear();
    }
    this.horizon = horizon;
    const filled = changed.filter(([, queued]) => queued > 0);
    await caches.lanes.load(tx, filled.map(([id]) => id), caches.limits);
    const misses: { laneId: number; count: number }[] = [];
    for (const [laneId, , version] of filled) if (!caches.heads.get(laneId, version, 1)) misses.push({ laneId, count: HEAD_PREFETCH });
    const read = await loadLaneHeads(tx, misses);
    for (const { laneId, count } of misses) {
      const found = read.get(laneId);
      if (found) caches.heads.remember(laneId, found.version, found.heads, found.heads.length < count);
    }
    for (const [laneId, queued, version] of changed) {
      const row = caches.lanes.row(laneId);
      const heads = row && queued > 0 ? caches.heads.get(laneId, version, 1) : null;
      if (!row || !heads || heads.length === 0) {
        this.forget(laneId);
        continue;
      }
      this.place(laneId, { queued, version, orgId: row.org_id, queue: row.queue_name }, heads[0]!, row.queue_priority);
    }
  }

  private place(laneId: number, lane: ActiveLane, first: Head, queuePriority: number): void {
    this.forget(laneId);
    let org = this.orgs.get(lane.orgId);
    if (!org) this.orgs.set(lane.orgId, (org = { index: new LaneIndex(), queued: 0 }));
    org.index.set(laneId, lane.queue, { resumeFirst: first.resumeFirst, queuePriority, priority: first.priority, seq: first.seq });
    org.queued += lane.queued;
    this.active.set(laneId, lane);
  }

  /** Drops a lane found empty (it comes back with the change that gives it work). */
  forget(laneId: number): void {
    const lane = this.active.get(laneId);
    if (!lane) return;
    const org = this.orgs.get(lane.orgId)!;
    org.index.delete(laneId);
    org.queued -= lane.queued;
    if (org.index.size === 0) this.orgs.delete(lane.orgId);
    this.active.delete(laneId);
  }

  has(laneId: number): boolean {
    return this.active.has(laneId);
  }

  /** The lane's current version (null: not queued). */
  version(laneId: number): number | null {
    return this.active.get(laneId)?.version ?? null;
  }

  /**
   * The orgs with queued work for the rounds (policy/rounds.ts), of one org if the claimer is
   * scoped to it and with only the lanes of the queues it serves. Lanes come with the heads
   * cached for them; the rounds' loader reads more.
   */
  roundOrgs(options: { orgId: string | null; queues: readonly string[] | null; limit: number; counts: Counts; lanes: LaneCache; heads: HeadCache }): RoundOrg[] {
    const serves = options.queues && options.queues.length > 0 ? new Set(options.queues) : null;
    const orgs: RoundOrg[] = [];
    for (const [orgId, org] of this.orgs) {
      if (options.orgId && orgId !== options.orgId) continue;
      const firstId = org.index.inOrder(serves ? (q) => serves.has(q) : undefined).next();
      if (firstId.done) continue;
      const first = options.lanes.lane(firstId.value)!;
      // Every lane of the org shares its global and org caps: an upper bound of what it can take.
      const shared = first.caps.filter((cap) => cap.code === "global" || cap.code === "org");
      const capacity = Math.min(options.limit, org.queued, roomUnder(shared, options.counts));
      if (capacity <= 0) continue;
      const weight = options.lanes.row(firstId.value)!.weight;
      orgs.push({ orgId, weight, capacity, lanes: this.lanesOf(org.index, serves, options.lanes, options.heads) });
    }
    return orgs;
  }

  private *lanesOf(index: LaneIndex, serves: ReadonlySet<string> | null, lanes: LaneCache, heads: HeadCache): Generator<RoundLane> {
    for (const laneId of index.inOrder(serves ? (q) => serves.has(q) : undefined)) {
      const active = this.active.get(laneId)!;
      const lane = lanes.lane(laneId)!;
      yield { lane: { ...lane, heads: heads.get(laneId, active.version, 1) ?? [] }, queued: active.queued };
    }
  }
}
