import { describe, expect, it } from "vitest";
import {
  backlogView, countdown, debounceInWords, describeOrgBacklogCap, fieldError, keyLimitText, keyRateText, keysShowing, rateInWords, rateWindowView,
  ruleKeyInWords, ruleLimitsInWords, ruleScopeInWords, scheduledText, startsIn,
} from "./limits-view";

const NOW = Date.parse("2026-12-02T12:00:00.000Z");
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe("rate limits and their windows", () => {
  it("says a rate limit in words", () => {
    expect(rateInWords(null)).toBe("No rate limit");
    expect(rateInWords({ limit: 1, periodMs: 1_000 })).toBe("1 start per 1 s");
    expect(rateInWords({ limit: 10, periodMs: 60_000 })).toBe("10 starts per 1 min");
  });

  it("counts down in whole seconds, rounded up, to 'now'", () => {
    expect(countdown(at(42_000), NOW)).toBe("in 42s");
    expect(countdown(at(41_200), NOW)).toBe("in 42s");
    expect(countdown(at(65_000), NOW)).toBe("in 1m 05s");
    expect(countdown(at(0), NOW)).toBe("now");
    expect(countdown(at(-5_000), NOW)).toBe("now");
  });

  it("shows the window: starts of the limit, and while used up when the next start is allowed", () => {
    expect(rateWindowView(null, null, NOW)).toBeNull();
    expect(rateWindowView({ limit: 10, periodMs: 60_000 }, null, NOW)).toEqual({ text: "0 of 10 starts in the last 1 min", usedUp: false, next: null, share: 0 });
    expect(rateWindowView({ limit: 10, periodMs: 60_000 }, { starts: 4, nextStartAt: null }, NOW)).toMatchObject({ text: "4 of 10 starts in the last 1 min", usedUp: false, share: 0.4 });
    expect(rateWindowView({ limit: 2, periodMs: 60_000 }, { starts: 2, nextStartAt: at(30_000) }, NOW)).toEqual({
      text: "2 of 2 starts in the last 1 min", usedUp: true, next: "next start in 30s", share: 1,
    });
    // Once the moment has passed (the page has not refetched yet) it is no longer used up.
    expect(rateWindowView({ limit: 2, periodMs: 60_000 }, { starts: 2, nextStartAt: at(-1) }, NOW)).toMatchObject({ usedUp: false, next: "next start now" });
  });
});

describe("backlog caps", () => {
  it("fills with queued and scheduled work; null and 0 are no cap", () => {
    expect(backlogView(3, 1, 10)).toEqual({ waiting: 4, cap: 10, text: "4 of 10 waiting", detail: "3 queued, 1 scheduled", share: 0.4, full: false });
    expect(backlogView(10, 2, 10)).toMatchObject({ text: "12 of 10 waiting", share: 1, full: true });
    expect(backlogView(3, 0, null)).toMatchObject({ cap: null, text: "3 waiting, no backlog cap", full: false });
    expect(backlogView(3, 0, 0)).toMatchObject({ cap: null });
  });

  it("names the org's own cap or the platform default it falls back to", () => {
    expect(describeOrgBacklogCap(null, 0)).toBe("Platform default (no cap)");
    expect(describeOrgBacklogCap(null, 500)).toBe("Platform default (500)");
    expect(describeOrgBacklogCap(0, 500)).toBe("No cap");
    expect(describeOrgBacklogCap(40, 500)).toBe("40");
  });
});

describe("scheduled starts", () => {
  it("says when, coarser the further away", () => {
    expect(startsIn(at(9_100), NOW)).toBe("in 10s");
    expect(startsIn(at(117_000), NOW)).toBe("in 2 min");
    expect(startsIn(at(3 * 3_600_000 + 5 * 60_000), NOW)).toBe("in 3 h 05 min");
    expect(startsIn(at(2 * 86_400_000), NOW)).toBe("in 2 d");
    expect(startsIn(at(-1), NOW)).toBe("now");
  });

  it("gives the state line of a scheduled execution only", () => {
    expect(scheduledText({ scheduled: true, startAfter: at(120_000) }, NOW)).toBe("scheduled · starts in 2 min");
    expect(scheduledText({ scheduled: true, startAfter: at(-10) }, NOW)).toBe("scheduled · starting now");
    expect(scheduledText({ scheduled: false, startAfter: at(120_000) }, NOW)).toBeNull();
    expect(scheduledText({ scheduled: true, startAfter: null }, NOW)).toBeNull();
  });
});

describe("key rules and their keys", () => {
  it("say where the key comes from, what the rule covers and what it limits", () => {
    expect(ruleKeyInWords({ source: "submission" })).toBe("the submission's concurrencyKey");
    expect(ruleKeyInWords({ source: "payload", path: "/customerId" })).toBe("payload /customerId");
    const flows = new Map([["f", "etl"]]);
    expect(ruleScopeInWords({ flowId: "f", queueId: null }, { flows })).toBe("flow etl");
    expect(ruleScopeInWords({ flowId: null, queueId: "q" }, { queues: new Map([["q", "imports"]]) })).toBe("queue imports");
    expect(ruleScopeInWords({ flowId: null, queueId: null })).toBe("the organization");
    expect(ruleLimitsInWords({ limit: 2, rateLimit: null })).toBe("2 running per key");
    expect(ruleLimitsInWords({ limit: 2, rateLimit: { limit: 5, periodMs: 1_000 } })).toBe("2 running per key · 5 starts per 1 s per key");
    expect(ruleLimitsInWords({ limit: null, rateLimit: { limit: 5, periodMs: 1_000 } })).toBe("5 starts per 1 s per key");
  });

  it("mark a key's own limit and count its rate window down", () => {
    expect(keyLimitText({ limit: 2, overridden: false })).toBe("2");
    expect(keyLimitText({ limit: 5, overridden: true })).toBe("5 (own limit)");
    expect(keyLimitText({ limit: null, overridden: false })).toBe("No limit");
    expect(keyRateText(null, NOW)).toBe("—");
    expect(keyRateText({ starts: 3, limit: 10, periodMs: 60_000, nextStartAt: null }, NOW)).toBe("3 of 10 / 1 min");
    expect(keyRateText({ starts: 10, limit: 10, periodMs: 60_000, nextStartAt: at(12_000) }, NOW)).toBe("10 of 10 / 1 min · next start in 12s");
  });

  it("say how many keys are shown of how many", () => {
    expect(keysShowing(50, 1234, "")).toBe("Showing 50 of 1234 keys");
    expect(keysShowing(1, 1, " ab ")).toBe("Showing 1 of 1 key matching “ab”");
    expect(keysShowing(0, 0, "")).toBe("No key has work running, queued or scheduled.");
    expect(keysShowing(0, 0, "zz")).toBe("No key matching “zz”.");
  });
});

describe("debounce", () => {
  it("says the key, the delay and the longest delay", () => {
    expect(debounceInWords(null)).toBe("No debounce");
    expect(debounceInWords({ source: "payload", path: "/userId", delayMs: 5_000, maxDelayMs: 60_000 })).toBe(
      "By payload /userId: starts 5 s after the last submission with its key, at most 1 min after the first",
    );
    expect(debounceInWords({ source: "submission", delayMs: 500, maxDelayMs: 1_000 })).toBe("By the submission's debounceKey: starts 500 ms after the last submission with its key, at most 1 s after the first");
  });
});

describe("field errors of a refused request", () => {
  it("finds a field's messages, and those of the fields inside it", () => {
    const errors = [{ field: "rateLimit.periodMs", message: "must be at most a week" }, { field: "maxQueued", message: "too big" }];
    expect(fieldError(errors, "maxQueued")).toBe("too big");
    expect(fieldError(errors, "rateLimit")).toBe("periodMs: must be at most a week");
    expect(fieldError(errors, "rateLimit.periodMs")).toBe("must be at most a week");
    expect(fieldError(errors, "debounce")).toBeUndefined();
    expect(fieldError(errors, "rate")).toBeUndefined();
  });
});
