import { describe, expect, it } from "vitest";
import { describeThreshold, parseThreshold, thresholdDraft } from "./alert-inputs";

describe("alert threshold inputs", () => {
  it("reads a number and a unit, empty as none, within 10 s and a week", () => {
    expect(parseThreshold({ amount: "", unit: "min" }, "off")).toEqual({ ok: true, value: null });
    expect(parseThreshold({ amount: "15", unit: "min" }, "off")).toEqual({ ok: true, value: 900_000 });
    expect(parseThreshold({ amount: "1.5", unit: "h" }, "off")).toEqual({ ok: true, value: 5_400_000 });
    for (const bad of [{ amount: "5", unit: "s" }, { amount: "8", unit: "d" }, { amount: "0", unit: "min" }, { amount: "-1", unit: "min" }, { amount: "ten", unit: "min" }] as const) {
      expect(parseThreshold(bad, "off")).toEqual({ ok: false, message: "Enter a duration from 10 s to 7 d, or leave it empty for off." });
    }
  });

  it("shows a stored threshold in its largest whole unit", () => {
    expect(thresholdDraft(3_600_000)).toEqual({ amount: "1", unit: "h" });
    expect(thresholdDraft(null)).toEqual({ amount: "", unit: "min" });
    expect(describeThreshold(600_000, "off")).toBe("10 min");
    expect(describeThreshold(null, "off")).toBe("off");
  });
});
