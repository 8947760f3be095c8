import { describe, expect, it } from "vitest";
import { formatCap, describeProjectLimit, parseLimitInput } from "./limits";

describe("limits on the settings screens", () => {
  it("shows 0 as no limit and an empty project limit as the platform default", () => {
    expect(formatCap(0)).toBe("No limit");
    expect(formatCap(4)).toBe("4");
    expect(describeProjectLimit(null, 10)).toBe("Platform default (10)");
    expect(describeProjectLimit(null, 0)).toBe("Platform default (no limit)");
    expect(describeProjectLimit(3, 10)).toBe("3");
    expect(describeProjectLimit(0, 10)).toBe("No limit");
  });

  it("reads whole numbers at or above the minimum; empty only where it means the default", () => {
    expect(parseLimitInput(" 7 ", { min: 0, emptyAllowed: true })).toEqual({ ok: true, value: 7 });
    expect(parseLimitInput("0", { min: 0, emptyAllowed: true })).toEqual({ ok: true, value: 0 });
    expect(parseLimitInput("", { min: 0, emptyAllowed: true })).toEqual({ ok: true, value: null });
    expect(parseLimitInput("", { min: 1, emptyAllowed: false })).toEqual({ ok: false, message: "Enter a whole number of 1 or more." });
    for (const bad of ["-1", "2.5", "1e3", "abc", "99999999999999999999"]) {
      expect(parseLimitInput(bad, { min: 0, emptyAllowed: true })).toEqual({ ok: false, message: "Enter a whole number of 0 or more, or leave it empty for the platform default." });
    }
    expect(parseLimitInput("0", { min: 1, emptyAllowed: false }).ok).toBe(false);
  });
});
