import { describe, expect, it } from "vitest";
import { decideAdmission, laneKey } from "./admission";

describe("admission", () => {
  it("refuses while the trigger is locked, before any flow behavior", () => {
    expect(decideAdmission({ triggerLocked: true, flow: { limit: 1, behavior: "CANCEL", liveExecutions: 5 } })).toMatchObject({ outcome: "refuse", code: "trigger_locked" });
  });
  it("CANCEL and FAIL record the execution terminal at the limit; below it, queue", () => {
    expect(decideAdmission({ triggerLocked: false, flow: { limit: 2, behavior: "CANCEL", liveExecutions: 2 } })).toEqual({ outcome: "record", state: "CANCELLED", reason: "flow concurrency limit reached (limit 2)" });
    expect(decideAdmission({ triggerLocked: false, flow: { limit: 2, behavior: "FAIL", liveExecutions: 3 } })).toEqual({ outcome: "record", state: "FAILED", reason: "flow concurrency limit reached (limit 2)" });
    expect(decideAdmission({ triggerLocked: false, flow: { limit: 2, behavior: "FAIL", liveExecutions: 1 } })).toEqual({ outcome: "queue" });
  });
  it("QUEUE, no limit, or no flow: queue", () => {
    expect(decideAdmission({ triggerLocked: false, flow: { limit: 2, behavior: "QUEUE", liveExecutions: 9 } })).toEqual({ outcome: "queue" });
    expect(decideAdmission({ triggerLocked: false, flow: { limit: null, behavior: "FAIL", liveExecutions: 9 } })).toEqual({ outcome: "queue" });
    expect(decideAdmission({ triggerLocked: false, flow: null })).toEqual({ outcome: "queue" });
  });
  it("lanes separate everything that decides caps", () => {
    const base = { orgId: "o", projectId: "p", flowId: null, queueId: "q", parentId: null, kind: "job" };
    expect(laneKey(base)).toBe("o:p:-:q:-:job");
    expect(new Set([laneKey(base), laneKey({ ...base, flowId: "f" }), laneKey({ ...base, parentId: "x" }), laneKey({ ...base, kind: "access_request" })]).size).toBe(4);
  });
});
