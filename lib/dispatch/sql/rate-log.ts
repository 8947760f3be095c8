import type { Counts } from "../policy/scopes";

// The starts inside rate windows, kept in memory per connection pool between claims
// (docs/dispatch.md, "Rate windows"). Counting the starts in every claim's snapshot cost
// O(starts in the windows): with a minute-long window on every org the mixed bench ran at half
// its speed. Charges (a claim's starts, per scope) are only ever written by claims, under the
// dispatch lock, so their ids commit in increasing order: a claim that reads the charges with an
// id above the last one it saw has every start made since, in any process. Expired starts are
// dropped here as time passes.
//
// Rebuilt from every start still in its window on a process's first claim, after a failed
// claim transaction (its own charge was rolled back) and when the configuration version
// changed (a truncated table hands out ids again), like the lane state.

/** Far longer than a dispatch transaction can have waited and run (transaction.ts bounds both). */
const DROP_AFTER_MS = 5 * 60_000;

/** One scope of one charge: the charge's id, the scope, when its starts leave the window, how many. */
export type RateStartRow = [chargeId: number, scope: string, expiresMs: number, starts: number];

export class RateLog {
  /** The highest charge id taken in; null: read every start still in its window next time. */
  lastId: number | null = null;
  /** The configuration version the log was built at. */
  configVersion: number | null = null;
  /** Per scope, its starts' expiry times (epoch ms), ascending. */
  private readonly scopes = new Map<string, number[]>();

  reset(): void {
    this.lastId = null;
    this.configVersion = null;
    this.scopes.clear();
  }

  /** Takes in the starts read since `lastId` (all of them when it was null). */
  add(rows: readonly RateStartRow[]): void {
    if (this.lastId === null) this.scopes.clear();
    const after = this.lastId ?? 0;
    let last = after;
    for (const [id, scope, expiresMs, starts] of rows) {
      if (id <= after) continue; // read again by a second snapshot of the same claim
      last = Math.max(last, id);
      let list = this.scopes.get(scope);
      if (!list) this.scopes.set(scope, (list = []));
      // Mostly an append: a scope's starts expire in the order they were made unless its period was edited.
      let at = list.length;
      while (at > 0 && list[at - 1]! > expiresMs) at--;
      list.splice(at, 0, ...Array<number>(starts).fill(expiresMs));
    }
    this.lastId = last;
  }

  /**
   * Adds to `counts`, per scope, the starts still inside their windows at `nowMs` (the claim
   * transaction's now(), which the charges and the history use too). A transaction's now() is
   * when it began, before it waited for the dispatch lock, so a later claim can measure at an
   * earlier moment than this one: starts are dropped only well after any claim could still
   * count them.
   */
  countInto(counts: Counts, nowMs: number): void {
    for (const [scope, list] of this.scopes) {
      const stale = firstAfter(list, nowMs - DROP_AFTER_MS);
      if (stale > 0) list.splice(0, stale);
      if (list.length === 0) {
        this.scopes.delete(scope);
        continue;
      }
      const inside = list.length - firstAfter(list, nowMs);
      if (inside > 0) counts.set(scope, inside);
    }
  }

  /**
   * When a scope whose window holds `limit` or more starts lets the next one through: the
   * moment its (starts − limit + 1)th oldest start leaves the window. Null: not used up.
   */
  nextStartMs(scope: string, limit: number, nowMs: number): number | null {
    const list = this.scopes.get(scope);
    if (!list) return null;
    const from = firstAfter(list, nowMs);
    if (list.length - from < limit) return null;
    return list[list.length - limit]!;
  }
}

/** The index of the first value above `t` in an ascending list. */
function firstAfter(list: readonly number[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
