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

/** A backlog cap (docs/limits.md): at most `limit` executions waiting in its scope. */
export interface BacklogCap {
  scope: "org" | "flow";
  limit: number;
}

/** The org's own cap (null: the platform default; 0: none), then the flow's (null: none). */
export function backlogCaps(c: { orgMaxQueued: number | null; platformDefault: number; flowMaxQueued: number | null }): BacklogCap[] {
  const caps: BacklogCap[] = [];
  const org = c.orgMaxQueued ?? c.platformDefault;
  if (org > 0) caps.push({ scope: "org", limit: org });
  if (c.flowMaxQueued !== null && c.flowMaxQueued > 0) caps.push({ scope: "flow", limit: c.flowMaxQueued });
  return caps;
}

/** How far back a startAfter may lie and still mean "now" (clients' clocks are a little off). */
export const START_AFTER_SKEW_MS = 5_000;
/** The furthest ahead a start may be scheduled. */
export const MAX_DELAY_MS = 366 * 24 * 3_600_000;

/** When a submission asked to start (startAfter or delayMs), or an issue naming the field; null: at once. */
export function requestedStart(input: { startAfter?: Date | null; delayMs?: number | null }, now: Date): { at: Date | null } | { issue: { field: string; message: string } } {
  if (input.delayMs != null) return { at: input.delayMs > 0 ? new Date(now.getTime() + input.delayMs) : null };
  if (!input.startAfter) return { at: null };
  const ahead = input.startAfter.getTime() - now.getTime();
  if (ahead < -START_AFTER_SKEW_MS) return { issue: { field: "startAfter", message: "is in the past" } };
  if (ahead > MAX_DELAY_MS) return { issue: { field: "startAfter", message: "is more than 366 days ahead" } };
  return { at: ahead > 0 ? input.startAfter : null };
}

export interface DebounceConfig {
  delayMs: number;
  maxDelayMs: number;
}

/**
 * A debounced submission starts `delayMs` after the last one with its key, but never later
 * than `maxDelayMs` after the first (its deadline, fixed when the first arrived).
 */
export function debouncedStart(now: Date, config: DebounceConfig, deadline: Date | null): { startAfter: Date; deadline: Date } {
  const fixed = deadline ?? new Date(now.getTime() + config.maxDelayMs);
  const wanted = new Date(now.getTime() + config.delayMs);
  return { startAfter: wanted < fixed ? wanted : fixed, deadline: fixed };
}
