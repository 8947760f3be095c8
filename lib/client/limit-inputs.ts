import type { Flow } from "../contract/flows";
import type { Rate } from "./limits-view";

// What a person types into the limit forms (rate limits, durations, debounce), read before
// anything is sent: the same lower bounds as the server's schemas (lib/core/fields.ts), in
// words next to each field. Bounds beyond these are the server's to enforce; its 422 is shown
// next to the field it names.

export const PERIOD_UNITS = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type PeriodUnit = keyof typeof PERIOD_UNITS;
const UNITS_LARGEST_FIRST = (Object.keys(PERIOD_UNITS) as PeriodUnit[]).reverse();

export interface DurationDraft { amount: string; unit: PeriodUnit }

/** A duration as the form shows it: the largest unit it is a whole number of (1 500 ms: 1.5 s). */
export function durationDraft(ms: number | null | undefined, fallback: PeriodUnit = "min"): DurationDraft {
  if (ms === null || ms === undefined) return { amount: "", unit: fallback };
  const whole = UNITS_LARGEST_FIRST.find((u) => ms % PERIOD_UNITS[u] === 0);
  if (whole) return { amount: String(ms / PERIOD_UNITS[whole]), unit: whole };
  return { amount: String(ms / 1_000), unit: "s" };
}

export type Parsed<T, F extends string> = { ok: true; value: T } | { ok: false; errors: Partial<Record<F, string>> };

/** A positive duration in whole milliseconds (decimals allowed: 1.5 s). */
export function parseDuration(d: DurationDraft, minMs = 1): { ok: true; ms: number } | { ok: false; message: string } {
  const text = d.amount.trim();
  const amount = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  const ms = Math.round(amount * PERIOD_UNITS[d.unit]);
  if (!Number.isFinite(ms) || ms < minMs || !Number.isSafeInteger(ms)) return { ok: false, message: "Enter a positive number." };
  return { ok: true, ms };
}

function wholeAtLeast(text: string, min: number): number | null {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min ? n : null;
}

export interface RateDraft { limit: string; period: DurationDraft }

export const rateDraft = (rate: Rate | null): RateDraft => ({ limit: rate ? String(rate.limit) : "", period: durationDraft(rate?.periodMs, "min") });

/** Empty starts: no rate limit (null). Otherwise whole starts of 1 or more per a window of at least 10 ms. */
export function parseRate(draft: RateDraft): Parsed<Rate | null, "limit" | "periodMs"> {
  if (draft.limit.trim() === "") return { ok: true, value: null };
  const errors: Partial<Record<"limit" | "periodMs", string>> = {};
  const limit = wholeAtLeast(draft.limit, 1);
  if (limit === null) errors.limit = "Enter a whole number of 1 or more, or leave it empty for no rate limit.";
  const period = parseDuration(draft.period, 10);
  if (!period.ok) errors.periodMs = "Enter the window's length: a positive number.";
  if (limit === null || !period.ok) return { ok: false, errors };
  return { ok: true, value: { limit, periodMs: period.ms } };
}

/** A backlog cap typed in: empty means `empty` (none, or the platform default); whole numbers of `min` or more. */
export function parseCap(text: string, min: number): { ok: true; value: number | null } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: null };
  const n = wholeAtLeast(text, min);
  return n === null ? { ok: false, message: `Enter a whole number of ${min} or more, or leave it empty.` } : { ok: true, value: n };
}

export type Debounce = NonNullable<Flow["debounce"]>;
export interface DebounceDraft { source: "" | Debounce["source"]; path: string; delay: DurationDraft; maxDelay: DurationDraft }

export const debounceDraft = (d: Debounce | null): DebounceDraft => ({
  source: d?.source ?? "",
  path: d?.path ?? "",
  delay: durationDraft(d?.delayMs, "s"),
  maxDelay: durationDraft(d?.maxDelayMs, "min"),
});

/** No source: no debounce (null). Payload keys need a JSON pointer; the longest delay is at least the delay. */
export function parseDebounce(draft: DebounceDraft): Parsed<Debounce | null, "path" | "delayMs" | "maxDelayMs"> {
  if (draft.source === "") return { ok: true, value: null };
  const errors: Partial<Record<"path" | "delayMs" | "maxDelayMs", string>> = {};
  const path = draft.path.trim();
  if (draft.source === "payload" && !path.startsWith("/")) errors.path = "Enter a JSON pointer such as /userId.";
  const delay = parseDuration(draft.delay);
  const maxDelay = parseDuration(draft.maxDelay);
  if (!delay.ok) errors.delayMs = delay.message;
  if (!maxDelay.ok) errors.maxDelayMs = maxDelay.message;
  else if (delay.ok && maxDelay.ms < delay.ms) errors.maxDelayMs = "Must be at least the delay.";
  if (Object.keys(errors).length > 0 || !delay.ok || !maxDelay.ok) return { ok: false, errors };
  return { ok: true, value: { source: draft.source, ...(draft.source === "payload" ? { path } : {}), delayMs: delay.ms, maxDelayMs: maxDelay.ms } };
}

/** A key override's limit: a whole number of 1 or more. */
export function parseKeyLimit(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const n = wholeAtLeast(text, 1);
  return n === null ? { ok: false, message: "Enter a whole number of 1 or more." } : { ok: true, value: n };
}

export type Retry = NonNullable<Flow["retry"]>;
export interface RetryDraft { maxAttempts: string; initial: DurationDraft; factor: string; max: DurationDraft; jitter: string }

export const retryDraft = (r: Retry | null): RetryDraft => ({
  maxAttempts: r ? String(r.maxAttempts) : "",
  initial: durationDraft(r?.backoff.initialMs ?? 1_000, "s"),
  factor: String(r?.backoff.factor ?? 2),
  max: durationDraft(r?.backoff.maxMs ?? 600_000, "min"),
  jitter: String(r?.jitter ?? 0),
});

/** Empty attempts: no retries (null, FAILED is final). Otherwise the server's bounds (lib/core/fields.ts retryPolicy). */
export function parseRetry(draft: RetryDraft): Parsed<Retry | null, "maxAttempts" | "initialMs" | "factor" | "maxMs" | "jitter"> {
  if (draft.maxAttempts.trim() === "") return { ok: true, value: null };
  const errors: Partial<Record<"maxAttempts" | "initialMs" | "factor" | "maxMs" | "jitter", string>> = {};
  const maxAttempts = wholeAtLeast(draft.maxAttempts, 1);
  if (maxAttempts === null || maxAttempts > 100) errors.maxAttempts = "Enter a whole number from 1 to 100, or leave it empty for no retries.";
  const initial = parseDuration(draft.initial, 0);
  const max = parseDuration(draft.max, 0);
  if (!initial.ok) errors.initialMs = initial.message;
  if (!max.ok) errors.maxMs = max.message;
  else if (initial.ok && max.ms < initial.ms) errors.maxMs = "Must be at least the first delay.";
  const factor = Number(draft.factor.trim());
  if (draft.factor.trim() === "" || !Number.isFinite(factor) || factor < 1 || factor > 10) errors.factor = "Enter a number from 1 to 10.";
  const jitter = Number(draft.jitter.trim());
  if (draft.jitter.trim() === "" || !Number.isFinite(jitter) || jitter < 0 || jitter > 1) errors.jitter = "Enter a fraction from 0 to 1.";
  if (Object.keys(errors).length > 0 || maxAttempts === null || !initial.ok || !max.ok) return { ok: false, errors };
  return { ok: true, value: { maxAttempts, backoff: { initialMs: initial.ms, factor, maxMs: max.ms }, jitter } };
}
