import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pausedSlotHolders, type PausedExecution } from "./paused-slots";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const paused: PausedExecution[] = [
  { id: "c", pausedAt: at(3), seq: 3 },
  { id: "a", pausedAt: at(1), seq: 9 },
  { id: "b", pausedAt: at(1), seq: 10 },
  { id: "d", pausedAt: at(4), seq: 1 },
];

describe("max_paused_slots", () => {
  it("the first N by pause time free their slot; the rest hold theirs", () => {
    expect(pausedSlotHolders(paused, 1)).toEqual(new Set(["b", "c", "d"]));
    expect(pausedSlotHolders(paused, 2)).toEqual(new Set(["c", "d"]));
    expect(pausedSlotHolders(paused, 3)).toEqual(new Set(["d"]));
  });

  it("paused at the same moment: the older execution (lower seq) frees its slot first", () => {
    const same = [{ id: "late-submit", pausedAt: at(5), seq: 20 }, { id: "early-submit", pausedAt: at(5), seq: 2 }];
    expect(pausedSlotHolders(same, 1)).toEqual(new Set(["late-submit"]));
  });

  it("pause time decides before seq", () => {
    const list = [{ id: "old-paused-late", pausedAt: at(9), seq: 1 }, { id: "new-paused-early", pausedAt: at(2), seq: 50 }];
    expect(pausedSlotHolders(list, 1)).toEqual(new Set(["old-paused-late"]));
  });

  it("N = 0 (the default): every paused execution holds its slot", () => {
    expect(pausedSlotHolders(paused, 0)).toEqual(new Set(["a", "b", "c", "d"]));
  });

  it("N at least the number paused: none holds", () => {
    expect(pausedSlotHolders(paused, 4)).toEqual(new Set());
    expect(pausedSlotHolders(paused, 100)).toEqual(new Set());
    expect(pausedSlotHolders([], 0)).toEqual(new Set());
  });

  it("does not reorder the caller's array", () => {
    const input = [...paused];
    pausedSlotHolders(input, 2);
    expect(input.map((p) => p.id)).toEqual(["c", "a", "b", "d"]);
  });
});

describe("max_paused_slots (property)", () => {
  const pausedListArb = fc
    .uniqueArray(fc.record({ id: fc.uuid(), at: fc.integer({ min: 0, max: 20 }), seq: fc.nat(1000) }), { selector: (p) => p.id, maxLength: 15 })
    .map((list) => list.map((p, i) => ({ id: p.id, pausedAt: at(p.at), seq: p.seq * 100 + i })));
  const withShuffle = pausedListArb.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })));

  it("holds exactly max(0, count − N), all paused no earlier than any freed one, whatever the input order", () => {
    fc.assert(
      fc.property(withShuffle, fc.integer({ min: 0, max: 20 }), ([list, shuffled], n) => {
        const holders = pausedSlotHolders(list, n);
        expect(holders.size).toBe(Math.max(0, list.length - n));

        const key = (p: PausedExecution) => [Number(p.pausedAt), p.seq] as const;
        const later = (x: PausedExecution, y: PausedExecution) => key(x)[0] > key(y)[0] || (key(x)[0] === key(y)[0] && key(x)[1] > key(y)[1]);
        for (const holder of list.filter((p) => holders.has(p.id))) {
          for (const freed of list.filter((p) => !holders.has(p.id))) expect(later(holder, freed)).toBe(true);
        }

        expect(pausedSlotHolders(shuffled, n)).toEqual(holders);
        expect(pausedSlotHolders([...list].reverse(), n)).toEqual(holders);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
