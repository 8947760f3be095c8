import type { CapStatus, KeyOfCap } from "./caps";

// Why a queued execution has not started, in data and in words. Pure: the SQL side
// (explain-execution.ts) gathers the facts.

/** A rate cap's status: `inFlight` counts the starts inside its window. */
export interface RateStatus extends CapStatus {
  /** When the window lets the next start through. */
  nextStartAt: Date;
}

export interface ExplainFacts {
  state: string;
  /** Not startable before this (delayed start, debounce, a retry's backoff): the only reason until then. */
  scheduledFor?: Date | null;
  /** Set while a retry waits for its backoff: the attempt it will be, of how many. */
  retry?: { attempt: number; maxAttempts: number } | null;
  /** Caps of the execution that are full right now (rate caps with their next start), with the forced executions among their in flight. */
  fullCaps: ((CapStatus & { forced?: number }) | RateStatus)[];
  /** Orgs ahead of this one in fair order that have startable work. */
  orgsAhead: number;
  /** Startable executions of the same org that go before this one, counted up to AHEAD_COUNT_LIMIT + 1. */
  aheadInOrg: number;
  /** Whether some live worker serves this execution's queue (and org). */
  workerServesQueue: boolean;
  /** The live workers serving its queue (docs/operations.md, "Workers and queues"), when looked at. */
  workers?: ServingWorkers | null;
  queue: string;
  /** While PAUSED: what it waits for (docs/lifecycle.md, "Pauses"). */
  pause?: { waitingFor: "delay" | "approval"; until: Date | null; onDue: "resume" | "fail" | null; holdsSlot: boolean } | null;
  /** QUEUED on its way back from a pause in the slot it kept. */
  resumingInSlot?: boolean;
}

/** What the live workers serving a queue hold and ask for. */
export interface ServingWorkers {
  count: number;
  /** Those that declared a concurrency, and all of them hold at least that many executions (of any org). */
  busy: boolean;
  /** Executions they hold, and the concurrency they declared, summed (declared ones only). */
  holding: number;
  capacity: number;
  /** The latest claim of any of them (a worker that never claimed: when it registered). */
  lastClaimAt: Date | null;
  now: Date;
}

/** A worker that has not asked for work this long is not claiming (an idle one asks at least every claim wait, seconds). */
export const NOT_CLAIMING_AFTER_MS = 5 * 60_000;

export type Reason =
  | { code: "cap_full"; cap: CapStatus["code"]; scope: string; limit: number; inFlight: number; key?: KeyOfCap; forced?: number; message: string }
  | { code: "rate_limited"; cap: CapStatus["code"]; scope: string; limit: number; periodMs: number; starts: number; nextStartAt: string; key?: KeyOfCap; message: string }
  | { code: "scheduled"; startAfter: string; message: string }
  | { code: "retry_backoff"; attempt: number; maxAttempts: number; startAfter: string; message: string }
  | { code: "fair_order"; orgsAhead: number; aheadInOrg: number; message: string }
  | { code: "no_worker"; queue: string; message: string }
  | { code: "workers_busy"; queue: string; workers: number; holding: number; capacity: number; message: string }
  | { code: "workers_not_claiming"; queue: string; workers: number; lastClaimAt: string | null; message: string }
  | { code: "paused"; waitingFor: "delay" | "approval"; until: string | null; onDue: "resume" | "fail" | null; holdsSlot: boolean; message: string }
  | { code: "resuming"; queue: string; message: string }
  | { code: "not_queued"; state: string; message: string };

/**
 * Counting every execution ahead would read the backlog (millions, perhaps); past this many
 * the exact number tells a person nothing more, so counting stops at one more than it.
 */
export const AHEAD_COUNT_LIMIT = 10_000;

export function aheadInWords(n: number): string {
  return n > AHEAD_COUNT_LIMIT ? `more than ${AHEAD_COUNT_LIMIT.toLocaleString("en")}` : String(n);
}

const CAP_WORDS: Record<CapStatus["code"], string> = {
  global: "the platform's global capacity",
  org: "the organization's max concurrency",
  jobs: "the org's parallel jobs setting",
  access_requests: "the org's parallel access_requests setting",
  workflows: "the org's workflows-per-job setting",
  pipeline: "the concurrency of its direct pipeline (parent)",
  controller: "the concurrency of its controller pipeline (grandparent)",
  project: "the project's Max Concurrent Jobs",
  pool: "the shared concurrency pool",
  flow: "the flow's concurrency limit",
  queue: "the queue's concurrency",
  key: "its key's limit",
  org_rate: "the organization's rate limit",
  flow_rate: "the flow's rate limit",
  queue_rate: "the queue's rate limit",
  key_rate: "its key's rate limit",
};

/** "2 s", "1.5 min", "1 h": a period as a person reads it. */
export function periodInWords(ms: number): string {
  const units: [number, string][] = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "min"], [1_000, "s"]];
  for (const [size, unit] of units) if (ms >= size) return `${Number((ms / size).toFixed(2))} ${unit}`;
  return `${ms} ms`;
}

function keyInWords(key: KeyOfCap): string {
  return `key ${key.value} of ${key.of} (rule ${key.rule})`;
}

function capReason(cap: (CapStatus & { forced?: number }) | RateStatus): Reason {
  const key = cap.key ? { key: cap.key } : {};
  if ("nextStartAt" in cap && cap.periodMs !== undefined) {
    const what = cap.key ? `The rate limit of ${keyInWords(cap.key)}` : `${CAP_WORDS[cap.code][0]!.toUpperCase()}${CAP_WORDS[cap.code].slice(1)}`;
    return {
      code: "rate_limited", cap: cap.code, scope: cap.scope, limit: cap.limit, periodMs: cap.periodMs, starts: cap.inFlight, nextStartAt: cap.nextStartAt.toISOString(), ...key,
      message: `${what} is used up: ${cap.inFlight} of ${cap.limit} starts in the last ${periodInWords(cap.periodMs)}; the next start is allowed at ${cap.nextStartAt.toISOString()}.`,
    };
  }
  const what = cap.key ? keyInWords(cap.key) : CAP_WORDS[cap.code];
  const forced = "forced" in cap && cap.forced ? cap.forced : 0;
  const byForce = forced > 0 ? ` (${forced === 1 ? "1 of them was" : `${forced} of them were`} forced to run now by an admin)` : "";
  return {
    code: "cap_full", cap: cap.code, scope: cap.scope, limit: cap.limit, inFlight: cap.inFlight, ...key, ...(forced > 0 ? { forced } : {}),
    message: cap.key ? `${what} is full: ${cap.inFlight} of ${cap.limit} in flight${byForce}.` : `${what} is full: ${cap.inFlight} in flight, limit ${cap.limit}${byForce}.`,
  };
}

function pausedReason(pause: NonNullable<ExplainFacts["pause"]>): Reason {
  const until = pause.until?.toISOString() ?? null;
  const slot = pause.holdsSlot ? "It keeps its slot meanwhile." : "Its slot is free meanwhile (max_paused_slots); resumed, it waits for one ahead of new work.";
  const waits = pause.waitingFor === "delay"
    ? `Paused until ${until}: the platform resumes it then.`
    : `Waiting for approval: an org admin approves it (Approve, or POST /api/executions/{id}/resume)${until ? `; if nobody does by ${until}, it ${pause.onDue === "fail" ? "fails" : "resumes anyway"}` : ""}.`;
  return { code: "paused", waitingFor: pause.waitingFor, until, onDue: pause.onDue, holdsSlot: pause.holdsSlot, message: `${waits} ${slot}` };
}

export function explain(facts: ExplainFacts): Reason[] {
  if (facts.state === "PAUSED" && facts.pause) return [pausedReason(facts.pause)];
  if (facts.state === "QUEUED" && facts.resumingInSlot) {
    const reasons: Reason[] = [{ code: "resuming", queue: facts.queue, message: `Resumed in the slot it kept: the next claim of a worker serving queue "${facts.queue}" continues it, ahead of everything else.` }];
    if (!facts.workerServesQueue) reasons.push({ code: "no_worker", queue: facts.queue, message: `No live worker is claiming queue "${facts.queue}".` });
    return reasons;
  }
  if (facts.state !== "QUEUED") {
    return [{ code: "not_queued", state: facts.state, message: `It is ${facts.state}, not waiting.` }];
  }
  const reasons: Reason[] = [];
  if (facts.scheduledFor && facts.retry) {
    const at = facts.scheduledFor.toISOString();
    const { attempt, maxAttempts } = facts.retry;
    reasons.push({ code: "retry_backoff", attempt, maxAttempts, startAfter: at, message: `Retry ${attempt} of ${maxAttempts} at ${at}: it waits for its backoff until then.` });
  } else if (facts.scheduledFor) {
    const at = facts.scheduledFor.toISOString();
    reasons.push({ code: "scheduled", startAfter: at, message: `Scheduled for ${at}: it does not start before then.` });
  } else {
    reasons.push(...facts.fullCaps.map(capReason));
  }
  // With every cap room to spare, what holds it back is most often the workers (docs/operations.md).
  if (reasons.length === 0) reasons.push(...workerReasons(facts));
  if (!reasons.some((r) => r.code !== "workers_busy" && r.code !== "workers_not_claiming") && (facts.orgsAhead > 0 || facts.aheadInOrg > 0)) {
    const parts = [];
    if (facts.orgsAhead > 0) parts.push(`${facts.orgsAhead} organization(s) with a lower load ratio go first`);
    if (facts.aheadInOrg > 0) parts.push(`${aheadInWords(facts.aheadInOrg)} execution(s) of its organization are ahead of it`);
    const lead = reasons.length === 0 ? "Every cap has room; it waits its turn in fair order" : "Then it waits its turn in fair order";
    reasons.push({ code: "fair_order", orgsAhead: facts.orgsAhead, aheadInOrg: facts.aheadInOrg, message: `${lead}: ${parts.join(", and ")}.` });
  }
  if (!facts.workerServesQueue) {
    reasons.push({ code: "no_worker", queue: facts.queue, message: `No live worker is claiming queue "${facts.queue}".` });
  }
  return reasons;
}

function workerReasons(facts: ExplainFacts): Reason[] {
  const w = facts.workers;
  if (!facts.workerServesQueue || !w || w.count === 0) return [];
  const reasons: Reason[] = [];
  const them = w.count === 1 ? "the 1 worker" : `all ${w.count} workers`;
  if (w.busy) {
    reasons.push({
      code: "workers_busy", queue: facts.queue, workers: w.count, holding: w.holding, capacity: w.capacity,
      message: `Every cap has room, but ${them} serving queue "${facts.queue}" ${w.count === 1 ? "is" : "are"} busy: ${w.holding} of ${w.capacity} slots claimed. It starts when one of them finishes something (or add workers).`,
    });
  }
  const sinceMs = w.lastClaimAt ? w.now.getTime() - w.lastClaimAt.getTime() : Number.POSITIVE_INFINITY;
  if (sinceMs >= NOT_CLAIMING_AFTER_MS) {
    const since = w.lastClaimAt ? `for ${periodInWords(Math.round(sinceMs / 60_000) * 60_000)}` : "yet";
    reasons.push({
      code: "workers_not_claiming", queue: facts.queue, workers: w.count, lastClaimAt: w.lastClaimAt?.toISOString() ?? null,
      message: `No worker has claimed from queue "${facts.queue}" ${since} (${w.count === 1 ? "1 live worker serves it" : `${w.count} live workers serve it`}, still sending heartbeats).`,
    });
  }
  return reasons;
}

