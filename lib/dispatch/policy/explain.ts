import type { CapStatus } from "./caps";

// Why a queued execution has not started, in data and in words. Pure: the SQL side
// (explain-execution.ts) gathers the facts.

export interface ExplainFacts {
  state: string;
  /** Caps of the execution that are full right now. */
  fullCaps: CapStatus[];
  /** Orgs ahead of this one in fair order that have startable work. */
  orgsAhead: number;
  /** Startable executions of the same org that go before this one, counted up to AHEAD_COUNT_LIMIT + 1. */
  aheadInOrg: number;
  /** Whether some live worker serves this execution's queue (and org). */
  workerServesQueue: boolean;
  queue: string;
}

export type Reason =
  | { code: "cap_full"; cap: CapStatus["code"]; scope: string; limit: number; inFlight: number; message: string }
  | { code: "fair_order"; orgsAhead: number; aheadInOrg: number; message: string }
  | { code: "no_worker"; queue: string; message: string }
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
};

export function explain(facts: ExplainFacts): Reason[] {
  if (facts.state !== "QUEUED") {
    return [{ code: "not_queued", state: facts.state, message: `It is ${facts.state}, not waiting.` }];
  }
  const reasons: Reason[] = facts.fullCaps.map((cap) => ({
    code: "cap_full",
    cap: cap.code,
    scope: cap.scope,
    limit: cap.limit,
    inFlight: cap.inFlight,
    message: `${CAP_WORDS[cap.code]} is full: ${cap.inFlight} in flight, limit ${cap.limit}.`,
  }));
  if (reasons.length === 0 && (facts.orgsAhead > 0 || facts.aheadInOrg > 0)) {
    const parts = [];
    if (facts.orgsAhead > 0) parts.push(`${facts.orgsAhead} organization(s) with a lower load ratio go first`);
    if (facts.aheadInOrg > 0) parts.push(`${aheadInWords(facts.aheadInOrg)} execution(s) of its organization are ahead of it`);
    reasons.push({ code: "fair_order", orgsAhead: facts.orgsAhead, aheadInOrg: facts.aheadInOrg, message: `Every cap has room; it waits its turn in fair order: ${parts.join(", and ")}.` });
  }
  if (!facts.workerServesQueue) {
    reasons.push({ code: "no_worker", queue: facts.queue, message: `No live worker is claiming queue "${facts.queue}".` });
  }
  return reasons;
}
