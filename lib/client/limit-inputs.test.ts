import { describe, expect, it } from "vitest";
import { debounceDraft, durationDraft, parseCap, parseDebounce, parseDuration, parseKeyLimit, parseRate, parseRetry, rateDraft, retryDraft } from "./limit-inputs";
import { retryInWords } from "./limits-view";

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

describe("the retry policy field", () => {
  const policy = { maxAttempts: 4, backoff: { initialMs: 1_500, factor: 3, maxMs: 600_000 }, jitter: 0.25 };

  it("shows a policy and reads it back unchanged; empty attempts mean no retries", () => {
    expect(parseRetry(retryDraft(policy))).toEqual({ ok: true, value: policy });
    expect(retryDraft(null).maxAttempts).toBe("");
    expect(parseRetry(retryDraft(null))).toEqual({ ok: true, value: null });
    // A new policy starts from the server's defaults.
    expect(parseRetry({ ...retryDraft(null), maxAttempts: "3" })).toEqual({ ok: true, value: { maxAttempts: 3, backoff: { initialMs: 1_000, factor: 2, maxMs: 600_000 }, jitter: 0 } });
  });

  it("names each field out of the server's bounds", () => {
    const bad = parseRetry({ maxAttempts: "101", initial: { amount: "2", unit: "min" }, factor: "0.5", max: { amount: "1", unit: "min" }, jitter: "2" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["factor", "jitter", "maxAttempts", "maxMs"]);
    expect(parseRetry({ ...retryDraft(policy), maxAttempts: "two" }).ok).toBe(false);
  });

  it("says a policy in words", () => {
    expect(retryInWords(null)).toBe("No retries: a failure is final");
    expect(retryInWords(policy)).toBe("4 attempts in all; waits 1.5 s before the second, then ×3 each time, at most 10 min, up to 25% shorter at random");
  });
});
