import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pausedSlotHolders, pausedSlotsImpact, type PausedCap, type PausedExecution, type PausedNow } from "./paused-slots";

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

describe("what a change of max_paused_slots does at once", () => {
  const p = (id: string, s: number, holdsSlot: boolean): PausedNow => ({ id, pausedAt: at(s), seq: s, holdsSlot, caps: ["org", "jobs"] });
  // Four paused, the first three (by pause time) giving their slot back under max_paused_slots 3.
  const now = [p("a", 1, false), p("b", 2, false), p("c", 3, false), p("d", 4, true)];
  const caps: PausedCap[] = [{ cap: "org", limit: 10, inFlight: 9 }, { cap: "jobs", limit: 20, inFlight: 9 }];

  it("lowering makes the newest released ones hold slots again and names the cap it leaves the org above", () => {
    const impact = pausedSlotsImpact(now, caps, 1);
    expect(impact).toMatchObject({ value: 1, paused: 4, holdAgain: 2, release: 0, over: [{ cap: "org", limit: 10, inFlight: 11, by: 1 }] });
    expect(impact.message).toBe("Lowering to 1 makes 2 paused executions hold slots again: the org will be 1 over its cap of 10 until they finish.");
    expect(pausedSlotsImpact(now, caps, 2).message).toBe("Lowering to 2 makes 1 paused execution hold its slot again; no cap is passed.");
  });

  it("the setting in force changes nothing and says only whether the org is above a cap", () => {
    expect(pausedSlotsImpact(now, caps, 3)).toMatchObject({ holdAgain: 0, release: 0, over: [], message: null });
    const above = pausedSlotsImpact(now, [{ cap: "org", limit: 8, inFlight: 9 }], 3);
    expect(above.over).toEqual([{ cap: "org", limit: 8, inFlight: 9, by: 1 }]);
    expect(above.message).toMatch(/^The org is 1 over its cap of 8 until executions finish/);
  });

  it("raising gives slots back and never warns", () => {
    expect(pausedSlotsImpact(now, caps, 4)).toMatchObject({ holdAgain: 0, release: 1, over: [], message: null });
  });

  it("holds for any paused set: after the change exactly the first `value` by pause time are released", () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 12 }), fc.nat(14), (holds, value) => {
      const set = holds.map((h, i) => p(`e${i}`, i, h));
      const impact = pausedSlotsImpact(set, [], value);
      const releasedBefore = set.filter((e) => !e.holdsSlot).length;
      const releasedAfter = Math.min(value, set.length);
      expect(releasedBefore - impact.holdAgain + impact.release).toBe(releasedAfter);
    }));
  });
});
