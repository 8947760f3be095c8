import { describe, expect, it } from "vitest";
import { debounceDraft, durationDraft, parseCap, parseDebounce, parseDuration, parseKeyLimit, parseRate, rateDraft } from "./limit-inputs";

describe("durations in the limit forms", () => {
  it("shows a duration in the largest unit it is a whole number of", () => {
    expect(durationDraft(60_000)).toEqual({ amount: "1", unit: "min" });
    expect(durationDraft(90_000)).toEqual({ amount: "90", unit: "s" });
    expect(durationDraft(7_200_000)).toEqual({ amount: "2", unit: "h" });
    expect(durationDraft(86_400_000)).toEqual({ amount: "1", unit: "d" });
    expect(durationDraft(1_500)).toEqual({ amount: "1.5", unit: "s" });
    expect(durationDraft(null, "s")).toEqual({ amount: "", unit: "s" });
  });

  it("reads positive amounts, decimals too, in whole milliseconds", () => {
    expect(parseDuration({ amount: " 1.5 ", unit: "s" })).toEqual({ ok: true, ms: 1_500 });
    expect(parseDuration({ amount: "2", unit: "h" })).toEqual({ ok: true, ms: 7_200_000 });
    for (const bad of ["", "0", "-1", "abc", "1e3"]) expect(parseDuration({ amount: bad, unit: "s" }).ok).toBe(false);
  });
});

describe("rate limits typed in", () => {
  it("goes back and forth between a rate limit and its fields", () => {
    expect(rateDraft(null)).toEqual({ limit: "", period: { amount: "", unit: "min" } });
    expect(rateDraft({ limit: 10, periodMs: 60_000 })).toEqual({ limit: "10", period: { amount: "1", unit: "min" } });
    expect(parseRate(rateDraft({ limit: 10, periodMs: 60_000 }))).toEqual({ ok: true, value: { limit: 10, periodMs: 60_000 } });
  });

  it("empty starts mean no rate limit; otherwise both fields must hold", () => {
    expect(parseRate({ limit: " ", period: { amount: "5", unit: "s" } })).toEqual({ ok: true, value: null });
    expect(parseRate({ limit: "0", period: { amount: "", unit: "s" } })).toEqual({
      ok: false,
      errors: { limit: "Enter a whole number of 1 or more, or leave it empty for no rate limit.", periodMs: "Enter the window's length: a positive number." },
    });
    expect(parseRate({ limit: "3", period: { amount: "0.001", unit: "s" } })).toEqual({ ok: false, errors: { periodMs: "Enter the window's length: a positive number." } });
  });
});

describe("caps and key limits typed in", () => {
  it("empty is null; whole numbers at or above the minimum", () => {
    expect(parseCap("", 1)).toEqual({ ok: true, value: null });
    expect(parseCap("0", 0)).toEqual({ ok: true, value: 0 });
    expect(parseCap("0", 1)).toEqual({ ok: false, message: "Enter a whole number of 1 or more, or leave it empty." });
    expect(parseCap("2.5", 0).ok).toBe(false);
    expect(parseKeyLimit("3")).toEqual({ ok: true, value: 3 });
    expect(parseKeyLimit("")).toEqual({ ok: false, message: "Enter a whole number of 1 or more." });
  });
});

describe("debounce typed in", () => {
  it("no source is no debounce; a payload key needs a pointer; the longest delay is at least the delay", () => {
    expect(parseDebounce(debounceDraft(null))).toEqual({ ok: true, value: null });
    const payload = { source: "payload" as const, path: "/userId", delayMs: 5_000, maxDelayMs: 60_000 };
    expect(debounceDraft(payload)).toEqual({ source: "payload", path: "/userId", delay: { amount: "5", unit: "s" }, maxDelay: { amount: "1", unit: "min" } });
    expect(parseDebounce(debounceDraft(payload))).toEqual({ ok: true, value: payload });
    expect(parseDebounce({ ...debounceDraft(payload), source: "submission" })).toEqual({ ok: true, value: { source: "submission", delayMs: 5_000, maxDelayMs: 60_000 } });
    expect(parseDebounce({ ...debounceDraft(payload), path: "userId", maxDelay: { amount: "1", unit: "s" } })).toEqual({
      ok: false,
      errors: { path: "Enter a JSON pointer such as /userId.", maxDelayMs: "Must be at least the delay." },
    });
    expect(parseDebounce({ ...debounceDraft(payload), delay: { amount: "", unit: "s" } })).toEqual({ ok: false, errors: { delayMs: "Enter a positive number." } });
  });
});
