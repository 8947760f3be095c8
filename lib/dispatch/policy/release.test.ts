import { describe, expect, it } from "vitest";
import { decideRelease, releaseReason, type HeldExecution } from "./release";

const held: HeldExecution = { id: "e1", state: "RUNNING", leaseWorkerId: "w1", leaseToken: 4, leaseLive: true, attempts: 2 };

describe("release decision", () => {
  it("the current lease holder releases, and the attempt its claim counted is given back", () => {
    expect(decideRelease(held, { executionId: "e1", leaseToken: 4 }, "w1")).toEqual({ release: true, attempts: 1 });
  });

  it.each([
    ["another worker", held, 4, "w2"],
    ["a stale lease token (an older attempt)", held, 3, "w1"],
    ["an expired lease", { ...held, leaseLive: false }, 4, "w1"],
    ["an execution already queued again (a double release)", { ...held, state: "QUEUED", leaseWorkerId: null }, 4, "w1"],
    ["a finished execution", { ...held, state: "SUCCESS", leaseWorkerId: null }, 4, "w1"],
    ["a paused execution", { ...held, state: "PAUSED" }, 4, "w1"],
  ])("%s: lease_lost, nothing released", (_what, row, token, worker) => {
    expect(decideRelease(row, { executionId: "e1", leaseToken: token }, worker)).toEqual({ release: false, code: "lease_lost", state: row.state });
  });

  it("a killed execution says killed; an unknown one not_found", () => {
    expect(decideRelease({ ...held, state: "KILLED", leaseWorkerId: null }, { executionId: "e1", leaseToken: 4 }, "w1")).toEqual({ release: false, code: "killed", state: "KILLED" });
    expect(decideRelease(undefined, { executionId: "e1", leaseToken: 4 }, "w1")).toEqual({ release: false, code: "not_found", state: null });
  });

  it("never counts attempts below zero", () => {
    expect(decideRelease({ ...held, attempts: 0 }, { executionId: "e1", leaseToken: 4 }, "w1")).toEqual({ release: true, attempts: 0 });
  });

  it("names the worker's reason in the history", () => {
    expect(releaseReason("shutting down")).toBe("released by its worker: shutting down");
    expect(releaseReason("  ")).toBe("released by its worker");
    expect(releaseReason(undefined)).toBe("released by its worker");
  });
});
