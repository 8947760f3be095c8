import { describe, expect, it } from "vitest";
import { applyOrgEdit, validateOrgEdit } from "./org-edit";

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

describe("applyOrgEdit", () => {
  const org = (id: string, inFlight: number, weight: number) => ({
    organizationId: id, name: id, currentInFlight: inFlight, queued: 0, maxConcurrency: 0, weight, ratio: inFlight / weight, rank: null, hasData: true,
  });

  it("puts the edit on its org only, with the load ratio that follows", () => {
    const orgs = [org("a", 4, 1), org("b", 4, 2)];
    expect(applyOrgEdit(orgs, { orgId: "a", weight: 4, maxConcurrency: 9 })).toEqual([{ ...org("a", 4, 4), maxConcurrency: 9 }, org("b", 4, 2)]);
    expect(applyOrgEdit(orgs, undefined)).toBe(orgs);
  });
});
