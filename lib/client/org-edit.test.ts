import { describe, expect, it } from "vitest";
import { validateOrgEdit } from "./org-edit";

describe("validateOrgEdit", () => {
  it("accepts whole numbers: weight 1 or more, max concurrency 0 (no limit) or more", () => {
    expect(validateOrgEdit({ weight: " 3 ", maxConcurrency: "0" })).toEqual({ values: { weight: 3, maxConcurrency: 0 }, errors: {} });
  });

  it("names each field that breaks a rule", () => {
    expect(validateOrgEdit({ weight: "0", maxConcurrency: "-1" }).errors).toEqual({
      weight: "Weight must be a whole number of at least 1.",
      maxConcurrency: "Max concurrency must be a whole number, 0 or more (0 = no limit).",
    });
    for (const bad of ["", "1.5", "abc", "2e3"]) expect(validateOrgEdit({ weight: bad, maxConcurrency: "1" }).errors.weight).toBeDefined();
    expect(validateOrgEdit({ weight: "1000001", maxConcurrency: "1000001" }).errors).toEqual({
      weight: "Weight can be at most 1,000,000.",
      maxConcurrency: "Max concurrency can be at most 1,000,000.",
    });
  });
});
