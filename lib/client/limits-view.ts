import type { KeyActivity, KeyRule } from "../contract/keys";
import { periodInWords } from "../dispatch/policy/explain";
import { formatDuration } from "./format";

// How the console shows limits and admission v2 (docs/limits.md): rate limits and their
// windows with a countdown to the next start, backlog caps with their fill level, scheduled
// starts, key rules and their keys. Pure: the screens pass the current time in.

export interface Rate { limit: number; periodMs: number }
export interface RateWindow { starts: number; nextStartAt: string | null }

/** "10 starts per 1 min", or "No rate limit". */
export function rateInWords(rate: Rate | null): string {
  if (!rate) return "No rate limit";
  return `${rate.limit} start${rate.limit === 1 ? "" : "s"} per ${periodInWords(rate.periodMs)}`;
}

/** A countdown as the screens write it: "12s", "1m 05s" (whole seconds, rounded up, so it reaches 0s only at the moment itself). */
export function countdown(at: string, nowMs: number): string {
  const ms = Date.parse(at) - nowMs;
  return ms <= 0 ? "now" : `in ${formatDuration(Math.ceil(ms / 1_000) * 1_000)}`;
}

export interface RateWindowView {
  /** "3 of 10 starts in the last 1 min" */
  text: string;
  usedUp: boolean;
  /** While used up: "next start in 42s" (or "next start now" once that moment has passed). */
  next: string | null;
  /** starts ÷ limit, at most 1. */
  share: number;
}

/** A rate limit's window now; null without a rate limit. A window the server has not counted yet reads as empty. */
export function rateWindowView(rate: Rate | null, window: RateWindow | null, nowMs: number): RateWindowView | null {
  if (!rate) return null;
  const starts = window?.starts ?? 0;
  const nextAt = window?.nextStartAt ?? null;
  const usedUp = nextAt !== null && Date.parse(nextAt) > nowMs;
  return {
    text: `${starts} of ${rate.limit} start${rate.limit === 1 ? "" : "s"} in the last ${periodInWords(rate.periodMs)}`,
    usedUp,
    next: nextAt === null ? null : `next start ${countdown(nextAt, nowMs)}`,
    share: rate.limit === 0 ? 1 : Math.min(1, starts / rate.limit),
  };
}

export interface BacklogView {
  waiting: number;
  /** null: no cap. */
  cap: number | null;
  /** "4 of 10 waiting" or "4 waiting, no backlog cap" */
  text: string;
  /** "3 queued, 1 scheduled" */
  detail: string;
  share: number;
  full: boolean;
}

/** What waits (queued and scheduled) against a backlog cap; a cap of null or 0 is none. */
export function backlogView(queued: number, scheduled: number, cap: number | null): BacklogView {
  const waiting = queued + scheduled;
  const detail = `${queued} queued, ${scheduled} scheduled`;
  if (!cap) return { waiting, cap: null, text: `${waiting} waiting, no backlog cap`, detail, share: 0, full: false };
  return { waiting, cap, text: `${waiting} of ${cap} waiting`, detail, share: Math.min(1, waiting / cap), full: waiting >= cap };
}

/** An org's backlog cap: its own (0 = none), or the platform default it falls back to. */
export function describeOrgBacklogCap(own: number | null, platformDefault: number): string {
  if (own === null) return `Platform default (${platformDefault === 0 ? "no cap" : platformDefault})`;
  return own === 0 ? "No cap" : String(own);
}

/** "in 42s", "in 2 min", "in 3 h 05 min", "in 2 d": a start further away, coarser. */
export function startsIn(at: string, nowMs: number): string {
  const ms = Date.parse(at) - nowMs;
  if (ms <= 0) return "now";
  if (ms < 60_000) return `in ${Math.ceil(ms / 1_000)}s`;
  if (ms < 3_600_000) return `in ${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) {
    const minutes = Math.round(ms / 60_000);
    return `in ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
  }
  return `in ${Math.round(ms / 86_400_000)} d`;
}

/** A scheduled execution's state line: "scheduled · starts in 2 min"; null when it is not scheduled. */
export function scheduledText(e: { scheduled: boolean; startAfter: string | null }, nowMs: number): string | null {
  if (!e.scheduled || !e.startAfter) return null;
  const when = startsIn(e.startAfter, nowMs);
  return when === "now" ? "scheduled · starting now" : `scheduled · starts ${when}`;
}

/** What a key rule reads its key from. */
export function ruleKeyInWords(key: KeyRule["key"]): string {
  return key.source === "submission" ? "the submission's concurrencyKey" : `payload ${key.path ?? "?"}`;
}

/** What a rule covers, as explain says it: "flow etl", "queue imports", "the organization". */
export function ruleScopeInWords(rule: Pick<KeyRule, "flowId" | "queueId">, names: { flows?: ReadonlyMap<string, string>; queues?: ReadonlyMap<string, string> } = {}): string {
  if (rule.flowId) return `flow ${names.flows?.get(rule.flowId) ?? "?"}`;
  if (rule.queueId) return `queue ${names.queues?.get(rule.queueId) ?? "?"}`;
  return "the organization";
}

/** A rule's limits in one line: "2 per key · 10 starts per 1 min per key". */
export function ruleLimitsInWords(rule: Pick<KeyRule, "limit" | "rateLimit">): string {
  const parts = [rule.limit === null ? null : `${rule.limit} running per key`, rule.rateLimit ? `${rateInWords(rule.rateLimit)} per key` : null];
  return parts.filter(Boolean).join(" · ") || "No limit";
}

/** A key's limit in the keys view: its own (an override) marked as such. */
export function keyLimitText(k: Pick<KeyActivity, "limit" | "overridden">): string {
  if (k.limit === null) return "No limit";
  return k.overridden ? `${k.limit} (own limit)` : String(k.limit);
}

/** A key's rate window in the keys view: "3 of 10 / 1 min", used up with its countdown. */
export function keyRateText(rate: KeyActivity["rate"], nowMs: number): string {
  if (!rate) return "—";
  const base = `${rate.starts} of ${rate.limit} / ${periodInWords(rate.periodMs)}`;
  return rate.nextStartAt && Date.parse(rate.nextStartAt) > nowMs ? `${base} · next start ${countdown(rate.nextStartAt, nowMs)}` : base;
}

export const KEY_SORTS = { running: "Most running", queued: "Most queued", key: "Key (A–Z)" } as const;
export type KeySort = keyof typeof KEY_SORTS;
/** The keys view shows the top this many. */
export const KEYS_SHOWN = 50;

/** "Showing 3 of 3 keys"; with a search, "matching “ab”". */
export function keysShowing(shown: number, total: number, search: string): string {
  const matching = search.trim() ? ` matching “${search.trim()}”` : "";
  if (total === 0) return search.trim() ? `No key${matching}.` : "No key has work running, queued or scheduled.";
  return `Showing ${shown} of ${total} key${total === 1 ? "" : "s"}${matching}`;
}

/** The server's messages for one field of a refused request (and for the fields inside it), joined. */
export function fieldError(errors: readonly { field: string; message: string }[], field: string): string | undefined {
  const found = errors.filter((e) => e.field === field || e.field.startsWith(`${field}.`));
  if (found.length === 0) return undefined;
  return found.map((e) => (e.field === field ? e.message : `${e.field.slice(field.length + 1)}: ${e.message}`)).join("; ");
}

/** A flow's debounce in words: what the key is, how long it waits after the last submission, and at most after the first. */
export function debounceInWords(d: { source: "submission" | "payload"; path?: string; delayMs: number; maxDelayMs: number } | null): string {
  if (!d) return "No debounce";
  const key = d.source === "submission" ? "the submission's debounceKey" : `payload ${d.path ?? "?"}`;
  return `By ${key}: starts ${periodInWords(d.delayMs)} after the last submission with its key, at most ${periodInWords(d.maxDelayMs)} after the first`;
}

/** "3 attempts; waits 1 s, then ×2, at most 10 min (jitter 10%)" or "No retries: FAILED is final". */
export function retryInWords(r: { maxAttempts: number; backoff: { initialMs: number; factor: number; maxMs: number }; jitter: number } | null): string {
  if (!r) return "No retries: a failure is final";
  const growth = r.backoff.factor === 1 ? "each time" : `then ×${r.backoff.factor} each time`;
  const jitter = r.jitter > 0 ? `, up to ${Math.round(r.jitter * 100)}% shorter at random` : "";
  return `${r.maxAttempts} attempts in all; waits ${periodInWords(r.backoff.initialMs)} before the second, ${growth}, at most ${periodInWords(r.backoff.maxMs)}${jitter}`;
}
