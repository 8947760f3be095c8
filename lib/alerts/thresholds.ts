import { z } from "zod";

// Alert thresholds (docs/operations.md, "Alerts"): how long a queue's oldest startable
// execution may wait (queue age), and an execution may run (stuck run), before an alert fires.
// The platform sets defaults (null: that rule is off); an organization may set its own (null:
// the platform's). Pure, and free of server code: the console uses the same bounds.

export const ALERT_KINDS = ["queue_age", "stuck_run"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const DEFAULT_QUEUE_AGE_MS = 10 * 60_000;
export const DEFAULT_STUCK_RUN_MS = 60 * 60_000;
/** Below this every short hiccup would alert; the migration's CHECK holds the same bounds. */
export const MIN_THRESHOLD_MS = 10_000;
export const MAX_THRESHOLD_MS = 7 * 24 * 3_600_000;

/** One threshold as the API takes it: whole ms, from 10 s to a week. */
export const alertThreshold = z
  .number()
  .int()
  .min(MIN_THRESHOLD_MS, `must be at least ${MIN_THRESHOLD_MS} ms (10 s)`)
  .max(MAX_THRESHOLD_MS, `must be at most a week (${MAX_THRESHOLD_MS} ms)`);

export interface ThresholdSettings {
  queueAgeMs: number | null;
  stuckRunMs: number | null;
}

export type ThresholdSource = "org" | "platform";

export interface Threshold {
  /** null: the rule is off. */
  ms: number | null;
  source: ThresholdSource;
}

export type Thresholds = Record<AlertKind, Threshold>;

/** What applies to an org: its own value where it set one, else the platform's (which may be off). */
export function effectiveThresholds(platform: ThresholdSettings, org: ThresholdSettings): Thresholds {
  const pick = (own: number | null, fallback: number | null): Threshold => (own !== null ? { ms: own, source: "org" } : { ms: fallback, source: "platform" });
  return { queue_age: pick(org.queueAgeMs, platform.queueAgeMs), stuck_run: pick(org.stuckRunMs, platform.stuckRunMs) };
}
