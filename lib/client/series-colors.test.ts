import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SERIES_COLORS, seriesColors } from "./series-colors";

describe("series colours", () => {
  it("give an org the same colour whatever the order its series come in (busiest first changes)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 8 }), fc.func(fc.integer()), (ids, key) => {
        const shuffled = [...ids].sort((a, b) => key(a) - key(b) || a.localeCompare(b));
        expect(seriesColors(shuffled)).toEqual(seriesColors(ids));
      }),
    );
  });

  it("give the orgs on screen different colours while there are colours enough", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: SERIES_COLORS.length }), (ids) => {
        expect(new Set(seriesColors(ids).values()).size).toBe(ids.length);
      }),
    );
  });
});
