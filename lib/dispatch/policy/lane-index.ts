// Each org's lanes in the order their first heads would start (docs/dispatch.md, "Many lanes"):
// resumed first, then queue priority, execution priority, age. A claim walks an org's lanes in
// this order and stops as soon as the lanes it has seen are enough for the slots the org can
// win, so an org with 10,000 lanes (one per concurrency key) costs what an org with ten does.
// Kept up to date lane by lane as their first heads change, one sorted list per queue (a
// worker serving some queues walks only theirs). Pure.

/** Where a lane's first head stands in the within-org order (the key turns aside). */
export interface LaneRank {
  resumeFirst: boolean;
  queuePriority: number;
  priority: number;
  seq: number;
}

/** Negative: a's first head goes before b's. */
export function compareRanks(a: LaneRank, b: LaneRank): number {
  return Number(b.resumeFirst) - Number(a.resumeFirst) || b.queuePriority - a.queuePriority || b.priority - a.priority || a.seq - b.seq;
}

/** Same resumed flag, queue priority and priority: where keys take turns (fair-order.ts). */
export function sameClass(a: LaneRank, b: LaneRank): boolean {
  return a.resumeFirst === b.resumeFirst && a.queuePriority === b.queuePriority && a.priority === b.priority;
}

interface Entry {
  laneId: number;
  rank: LaneRank;
}

const compareEntries = (a: Entry, b: Entry) => compareRanks(a.rank, b.rank) || a.laneId - b.laneId;

/** The first index in `list` whose entry does not go before `entry`. */
function lowerBound(list: readonly Entry[], entry: Entry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(list[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LaneIndex {
  private readonly byQueue = new Map<string, Entry[]>();
  private readonly placed = new Map<number, { queue: string; entry: Entry }>();

  get size(): number {
    return this.placed.size;
  }

  has(laneId: number): boolean {
    return this.placed.has(laneId);
  }

  /** Places a lane (again) by its first head's rank. */
  set(laneId: number, queue: string, rank: LaneRank): void {
    const old = this.placed.get(laneId);
    if (old && old.queue === queue && compareRanks(old.entry.rank, rank) === 0) return;
    this.delete(laneId);
    const entry = { laneId, rank };
    let list = this.byQueue.get(queue);
    if (!list) this.byQueue.set(queue, (list = []));
    list.splice(lowerBound(list, entry), 0, entry);
    this.placed.set(laneId, { queue, entry });
  }

  delete(laneId: number): void {
    const old = this.placed.get(laneId);
    if (!old) return;
    const list = this.byQueue.get(old.queue)!;
    list.splice(lowerBound(list, old.entry), 1);
    if (list.length === 0) this.byQueue.delete(old.queue);
    this.placed.delete(laneId);
  }

  /** Lane ids in order, merged across the queues `serves` accepts (all when absent). */
  *inOrder(serves?: (queue: string) => boolean): Generator<number> {
    const lists = [...this.byQueue].filter(([queue]) => !serves || serves(queue)).map(([, list]) => list);
    const at = lists.map(() => 0);
    for (;;) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        const entry = lists[i]![at[i]!];
        if (entry && (best === -1 || compareEntries(entry, lists[best]![at[best]!]!) < 0)) best = i;
      }
      if (best === -1) return;
      yield lists[best]![at[best]!++]!.laneId;
    }
  }
}
