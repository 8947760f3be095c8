import type { FlowBehavior } from "../contract/fields";

/** What each flow concurrency behavior does when the flow is at its limit, in words. */
export const BEHAVIORS: Record<FlowBehavior, string> = {
  QUEUE: "waits for a free slot",
  CANCEL: "is cancelled at once",
  FAIL: "fails at once",
};

export const formatLimit = (limit: number | null) => (limit === null ? "No limit" : String(limit));
