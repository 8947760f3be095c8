import { describe, expect, it } from "vitest";
import type { Head } from "../policy/fair-order";
import { HeadCache } from "./head-cache";

const head = (n: number): Head => ({ id: `e${n}`, seq: n, priority: 0, resumeFirst: false });
const heads = (...ns: number[]) => ns.map(head);

function cacheWith(laneId: number, version: number, list: Head[], complete = false): HeadCache {
  const cache = new HeadCache();
  cache.sync(1, 1, (id) => id === laneId);
  cache.begin();
  cache.remember(laneId, version, list, complete);
  cache.commit();
  return cache;
}

describe("HeadCache", () => {
  it("answers only at the version the heads were read at, and only with enough of them", () => {
    const cache = cacheWith(7, 3, heads(1, 2));
    cache.begin();
    expect(cache.get(7, 3, 2)).toEqual(heads(1, 2));
    expect(cache.get(7, 4, 1)).toBeNull();
    expect(cache.get(7, 3, 3)).toBeNull();
    expect(cache.get(8, 3, 1)).toBeNull();
  });

  it("a lane read in full answers any count", () => {
    const cache = cacheWith(7, 3, heads(1, 2), true);
    cache.begin();
    expect(cache.get(7, 3, 50)).toEqual(heads(1, 2));
  });

  it("after a claim that was the lane's only change, keeps the rest at the new version", () => {
    const cache = cacheWith(7, 3, heads(1, 2, 3));
    cache.begin();
    cache.claimed(7, 4, new Set(["e1"]));
    cache.commit();
    cache.begin();
    expect(cache.get(7, 4, 2)).toEqual(heads(2, 3));
    expect(cache.get(7, 3, 1)).toBeNull();
  });

  it("drops the lane when something else changed it too (or the claim did not update it)", () => {
    const cache = cacheWith(7, 3, heads(1, 2, 3));
    cache.begin();
    cache.claimed(7, 5, new Set(["e1"])); // a submission committed in between: 3 → 4 → 5
    cache.commit();
    cache.begin();
    expect(cache.get(7, 5, 1)).toBeNull();

    const other = cacheWith(7, 3, heads(1, 2, 3));
    other.begin();
    other.claimed(7, null, new Set());
    other.commit();
    other.begin();
    expect(other.get(7, 3, 1)).toBeNull();
  });

  it("a transaction sees what it staged; without commit the next one does not", () => {
    const cache = cacheWith(7, 3, heads(1, 2, 3));
    cache.begin();
    cache.claimed(7, 4, new Set(["e1"]));
    expect(cache.get(7, 4, 1)).toEqual(heads(2, 3)); // a later claim in the same batch
    cache.begin(); // the transaction rolled back and the next one starts
    expect(cache.get(7, 4, 1)).toBeNull();
    expect(cache.get(7, 3, 3)).toEqual(heads(1, 2, 3));
  });

  it("forgets everything when the dispatch configuration changes", () => {
    const cache = cacheWith(7, 3, heads(1));
    cache.sync(2, 1, (id) => id === 7);
    cache.begin();
    expect(cache.get(7, 3, 1)).toBeNull();
  });
});
