import { MAX_THRESHOLD_MS, MIN_THRESHOLD_MS } from "../alerts/thresholds";
import { durationDraft, parseDuration, type DurationDraft } from "./limit-inputs";

// An alert threshold typed into the settings forms (docs/operations.md, "Alerts"): a number and
// a unit, empty for none (the platform: the rule is off; an org: the platform's), within the
// server's bounds (lib/alerts/thresholds.ts), checked before anything is sent.

export const thresholdDraft = (ms: number | null): DurationDraft => durationDraft(ms, "min");

export function parseThreshold(draft: DurationDraft, emptyMeans: string): { ok: true; value: number | null } | { ok: false; message: string } {
  if (draft.amount.trim() === "") return { ok: true, value: null };
  const parsed = parseDuration(draft, 1);
  if (!parsed.ok || parsed.ms < MIN_THRESHOLD_MS || parsed.ms > MAX_THRESHOLD_MS) return { ok: false, message: `Enter a duration from 10 s to 7 d, or leave it empty for ${emptyMeans}.` };
  return { ok: true, value: parsed.ms };
}

/** "10 min", or what an empty threshold means. */
export function describeThreshold(ms: number | null, emptyMeans: string): string {
  if (ms === null) return emptyMeans;
  const d = durationDraft(ms, "min");
  return `${d.amount} ${d.unit}`;
}
