import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, shortId } from "./format";

describe("console formatting", () => {
  it("writes durations with the two largest units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(59_999)).toBe("59s");
    expect(formatDuration(65_000)).toBe("1m 05s");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2h 03m");
    expect(formatDuration(26 * 3_600_000)).toBe("1d 02h");
    expect(formatDuration(-5_000)).toBe("0s");
  });

  it("writes past instants relative to now", () => {
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(formatAgo("2025-01-01T11:59:48Z", now)).toBe("12s ago");
    expect(formatAgo(null, now)).toBe("never");
  });

  it("shortens ids", () => {
    expect(shortId("0f3c2a1b-1111-2222-3333-444455556666")).toBe("0f3c2a1b");
  });
});
