import type { Db } from "../../db/transaction";
import { HeadCache } from "./head-cache";
import { LaneCache } from "./lane-cache";
import { LaneState } from "./lane-state";
import { RateLog } from "./rate-log";
import { ForcedQueue } from "./forced";

// What a claim keeps in memory between claims, per connection pool (docs/dispatch.md,
// "Caches"): each lane's cap configuration, each lane's next queued executions, and which
// lanes have queued work, in each org's order, and the starts inside rate windows. Claims hold the dispatch lock, so one claim
// at a time touches a pool's caches.
export class DispatchCache {
  readonly lanes = new LaneCache();
  readonly heads = new HeadCache();
  readonly state = new LaneState();
  readonly rates = new RateLog();
  /** Forced ("run now") executions waiting for a worker (forced.ts). */
  readonly forced = new ForcedQueue();

  /** After a failed claim transaction: what it read and wrote may have been rolled back. */
  forgetChanges(): void {
    this.state.reset();
    this.rates.reset();
    this.forced.reset();
  }
}

const caches = new WeakMap<Db, DispatchCache>();

export function dispatchCacheFor(db: Db): DispatchCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new DispatchCache()));
  return cache;
}
