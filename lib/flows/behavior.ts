/** What each flow concurrency behavior does when the flow is at its limit, in words. */
export const BEHAVIORS = {
  QUEUE: "waits for a free slot",
  CANCEL: "is cancelled at once",
  FAIL: "fails at once",
} as const;

export type Behavior = keyof typeof BEHAVIORS;

export const formatLimit = (limit: number | null) => (limit === null ? "No limit" : String(limit));
