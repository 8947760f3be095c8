import { describe, expect, it } from "vitest";
import { confirmation, describeFilter, outcome } from "./bulk-words";

const names = { flow: (id: string) => (id === "f1" ? "etl" : "…"), project: () => "Billing" };

describe("bulk action words", () => {
  it("names the filter, or says there is none", () => {
    expect(describeFilter({}, names)).toMatch(/no filter/);
    expect(describeFilter({ state: "FAILED", flowId: "f1", queue: "nightly" }, names)).toBe("in state FAILED, of flow etl, on queue nightly");
  });

  it("asks with the count, caps the button at what one call does, and says when nothing matches", () => {
    expect(confirmation("kill", 37)).toEqual({ question: "37 live executions match", button: "Kill 37", capNote: null });
    expect(confirmation("rerun", 1)).toMatchObject({ question: "1 finished execution matches", button: "Rerun 1" });
    expect(confirmation("rerun", 2500)).toMatchObject({ button: "Rerun 1,000", capNote: expect.stringMatching(/oldest 1,000/) });
    expect(confirmation("kill", 0).question).toBe("No live execution matches.");
  });

  it("tells what was done, what was refused and what is left", () => {
    expect(outcome({ matched: 3, killed: 4, remaining: 0, asOf: "" })).toBe("Killed 4 executions.");
    expect(outcome({ matched: 5, rerun: 1, notRerun: [{ code: "trigger_locked", count: 1 }], stoppedBy: "backlog_full", remaining: 2, asOf: "" }))
      .toBe("Rerun 1 execution; 1 not rerun (trigger locked). Stopped at the backlog cap. 2 matches left.");
  });
});
