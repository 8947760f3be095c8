import { describe, expect, it } from "vitest";
import { isStuck, stuckAfterMs } from "./stuck";

describe("stuck executions", () => {
  const now = Date.parse("2025-01-01T12:00:00Z");
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it("is half the lease", () => {
    expect(stuckAfterMs(30_000)).toBe(15_000);
    expect(stuckAfterMs(1_001)).toBe(500);
  });

  it("flags a running execution whose last heartbeat is older than the threshold", () => {
    expect(isStuck({ state: "RUNNING", heartbeatAt: ago(15_001) }, now, 15_000)).toBe(true);
    expect(isStuck({ state: "RUNNING", heartbeatAt: ago(15_000) }, now, 15_000)).toBe(false);
    expect(isStuck({ state: "RUNNING", heartbeatAt: new Date(now - 2_000) }, now, 15_000)).toBe(false);
  });

  it("flags a running execution that never heartbeated", () => {
    expect(isStuck({ state: "RUNNING", heartbeatAt: null }, now, 15_000)).toBe(true);
  });

  it("never flags work that is not running (paused work does not heartbeat)", () => {
    for (const state of ["QUEUED", "PAUSED", "SUCCESS", "KILLED"]) {
      expect(isStuck({ state, heartbeatAt: ago(60_000) }, now, 15_000)).toBe(false);
    }
  });
});
