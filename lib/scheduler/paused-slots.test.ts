import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pausedSlotHolders } from "./paused-slots";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const paused = [
  { id: "c", pausedAt: at(3), seq: 3 },
  { id: "a", pausedAt: at(1), seq: 9 },
  { id: "b", pausedAt: at(1), seq: 10 },
  { id: "d", pausedAt: at(4), seq: 1 },
];

describe("max_paused_slots", () => {
  it("the first N paused (by pause time, then submit order) free their slot; the rest hold it", () => {
    expect(pausedSlotHolders(paused, 2)).toEqual(new Set(["c", "d"]));
  });
  it("0: every paused execution holds its slot", () => {
    expect(pausedSlotHolders(paused, 0)).toEqual(new Set(["a", "b", "c", "d"]));
  });
  it("N at least the number paused: none holds", () => {
    expect(pausedSlotHolders(paused, 4)).toEqual(new Set());
  });
  it("does not depend on input order, and holds exactly max(0, count − N)", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(paused), fc.nat(6), (subset, n) => {
        const shuffled = [...subset].reverse();
        expect(pausedSlotHolders(shuffled, n)).toEqual(pausedSlotHolders(subset, n));
        expect(pausedSlotHolders(subset, n).size).toBe(Math.max(0, subset.length - n));
      }),
    );
  });
});
