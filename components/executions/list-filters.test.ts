import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./list-filters";

describe("the executions list's time range in the URL", () => {
  it("goes from an ISO instant to the input's local time and back to the same minute", () => {
    const iso = "2026-12-04T09:30:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });

  it("treats an empty or broken value as no bound", () => {
    expect(toLocalInput(undefined)).toBe("");
    expect(toLocalInput("yesterday")).toBe("");
    expect(fromLocalInput("")).toBe("");
  });
});
