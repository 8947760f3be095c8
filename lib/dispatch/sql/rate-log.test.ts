import { describe, expect, it } from "vitest";
import { RateLog } from "./rate-log";

describe("RateLog", () => {
  it("counts the starts still inside their windows and drops those that left", () => {
    const log = new RateLog();
    log.add([[1, "r:a", 100, 1], [2, "r:a", 200, 1], [3, "r:b", 150, 1]]);
    const counts = new Map<string, number>();
    log.countInto(counts, 120);
    expect(counts).toEqual(new Map([["r:a", 1], ["r:b", 1]]));
    const later = new Map<string, number>();
    log.countInto(later, 200);
    expect(later).toEqual(new Map()); // a start leaves its window at its expiry
    // A claim that began earlier (it waited for the lock) still counts what it would have counted.
    const earlier = new Map<string, number>();
    log.countInto(earlier, 120);
    expect(earlier).toEqual(new Map([["r:a", 1], ["r:b", 1]]));
  });

  it("takes in only starts above the last id, in expiry order even when a period was edited", () => {
    const log = new RateLog();
    log.add([[5, "r:a", 300, 1]]);
    log.add([[7, "r:a", 400, 1], [5, "r:a", 300, 1], [6, "r:a", 250, 1]]); // in any order
    expect(log.lastId).toBe(7);
    const counts = new Map<string, number>();
    log.countInto(counts, 0);
    expect(counts.get("r:a")).toBe(3);
    // Used up at a limit of 2: two of three must leave, so the next start is at the second expiry.
    expect(log.nextStartMs("r:a", 2, 0)).toBe(300);
    expect(log.nextStartMs("r:a", 3, 0)).toBe(250);
    expect(log.nextStartMs("r:a", 4, 0)).toBeNull();
    expect(log.nextStartMs("r:a", 3, 260)).toBeNull(); // one has left by then
  });

  it("takes a charge of several starts as that many starts leaving together", () => {
    const log = new RateLog();
    log.add([[1, "r:a", 100, 3], [1, "r:b", 200, 1], [2, "r:a", 150, 2]]);
    expect(log.lastId).toBe(2);
    const counts = new Map<string, number>();
    log.countInto(counts, 0);
    expect(counts).toEqual(new Map([["r:a", 5], ["r:b", 1]]));
    // At a limit of 4 on r:a, two of the five must leave: both leave with the first charge.
    expect(log.nextStartMs("r:a", 4, 0)).toBe(100);
    expect(log.nextStartMs("r:a", 2, 0)).toBe(150);
    const later = new Map<string, number>();
    log.countInto(later, 100);
    expect(later).toEqual(new Map([["r:a", 2], ["r:b", 1]]));
  });

  it("reads everything again after a reset", () => {
    const log = new RateLog();
    log.add([[9, "r:a", 100, 1]]);
    log.reset();
    expect(log.lastId).toBeNull();
    log.add([[3, "r:b", 100, 1]]);
    const counts = new Map<string, number>();
    log.countInto(counts, 0);
    expect(counts).toEqual(new Map([["r:b", 1]]));
  });
});
