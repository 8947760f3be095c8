import type { FlowBehavior } from "../../contract/fields";

// Admission, as a pure decision (docs/dispatch.md, "Admission"). The trigger lock is checked first: while a
// trigger's execution is live, the trigger starts nothing new, so flow behavior never comes
// into play for it. A flow limit with behavior CANCEL or FAIL records the new execution as
// terminal at once; QUEUE (the default) leaves it to dispatch to wait for a slot.

export interface AdmissionFacts {
  triggerLocked: boolean;
  flow: { limit: number | null; behavior: FlowBehavior; liveExecutions: number } | null;
}

export type Admission =
  | { outcome: "refuse"; code: "trigger_locked"; message: string }
  | { outcome: "record"; state: "CANCELLED" | "FAILED"; reason: string }
  | { outcome: "queue" };

export function decideAdmission(facts: AdmissionFacts): Admission {
  if (facts.triggerLocked) {
    return { outcome: "refuse", code: "trigger_locked", message: "This trigger already has a live execution; it stays locked until that one finishes." };
  }
  const flow = facts.flow;
  if (flow && flow.limit !== null && flow.behavior !== "QUEUE" && flow.liveExecutions >= flow.limit) {
    return {
      outcome: "record",
      state: flow.behavior === "CANCEL" ? "CANCELLED" : "FAILED",
      reason: `flow concurrency limit reached (limit ${flow.limit})`,
    };
  }
  return { outcome: "queue" };
}

/** The lane an execution waits in: everything that decides which caps apply to it. */
export function laneKey(p: { orgId: string; projectId: string; flowId: string | null; queueId: string; parentId: string | null; kind: string }): string {
  return [p.orgId, p.projectId, p.flowId ?? "-", p.queueId, p.parentId ?? "-", p.kind].join(":");
}
