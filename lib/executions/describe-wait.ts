import { aheadInWords, periodInWords, type Reason } from "../dispatch/policy/explain";

// The explain output (lib/dispatch/policy/explain.ts) in the words a person reads on an
// execution's page: names instead of ids, "running" instead of "in flight". Pure and free of
// server code, so the browser can use it with the names it already has.

export interface WaitNames {
  /** id → name, for the scopes a cap names (flow:…, project:…, pool:…). */
  flows?: ReadonlyMap<string, string>;
  projects?: ReadonlyMap<string, string>;
  pools?: ReadonlyMap<string, string>;
  /** The execution's own queue (a queue cap's scope carries its id, not its name). */
  queue?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nameIn(scope: string, prefix: string, names: ReadonlyMap<string, string> | undefined): string | null {
  return scope.startsWith(`${prefix}:`) ? (names?.get(scope.slice(prefix.length + 1)) ?? null) : null;
}

function describeCap(r: Extract<Reason, { code: "cap_full" }>, names: WaitNames): string {
  const count = `(${r.inFlight} of ${r.limit} running)`;
  const named = (kind: string, name: string | null) => (name ? `${kind} '${name}'` : `its ${kind}`);
  switch (r.cap) {
    case "global": return `Waiting: the platform is at its global capacity ${count}.`;
    case "org": return `Waiting: your organization is at its max concurrency ${count}.`;
    case "jobs": return `Waiting: your organization's parallel jobs setting is reached ${count}.`;
    case "access_requests": return `Waiting: your organization's parallel access requests setting is reached ${count}.`;
    case "workflows": return `Waiting: its job is at the workflows-per-job setting ${count}.`;
    case "pipeline": return `Waiting: its parent pipeline is at its concurrency ${count}.`;
    case "controller": return `Waiting: its controller pipeline is at its concurrency ${count}.`;
    case "project": return `Waiting: ${named("project", nameIn(r.scope, "project", names.projects))} is at its Max Concurrent Jobs ${count}.`;
    case "pool": return `Waiting: ${named("shared pool", nameIn(r.scope, "pool", names.pools))} is full ${count}.`;
    case "flow": return `Waiting: ${named("flow", nameIn(r.scope, "flow", names.flows))} is at its limit ${count}.`;
    case "queue": return `Waiting: ${named("queue", names.queue ?? null)} is at its concurrency ${count}.`;
    case "key": return `Waiting: key '${r.key?.value ?? "?"}' of ${r.key?.of ?? "its rule"} is at its limit ${count}.`;
    // Rate caps are explained as rate_limited, never as cap_full.
    default: return `Waiting: ${r.message}`;
  }
}

function describeRate(r: Extract<Reason, { code: "rate_limited" }>, names: WaitNames, now: Date): string {
  const what = (() => {
    switch (r.cap) {
      case "org_rate": return "your organization's rate limit";
      case "flow_rate": return `the rate limit of ${nameIn(r.scope, "rate:flow", names.flows) ? `flow '${nameIn(r.scope, "rate:flow", names.flows)}'` : "its flow"}`;
      case "queue_rate": return `the rate limit of ${names.queue ? `queue '${names.queue}'` : "its queue"}`;
      default: return `the rate limit of key '${r.key?.value ?? "?"}' of ${r.key?.of ?? "its rule"}`;
    }
  })();
  return `Waiting: ${what} is used up (${r.starts} of ${r.limit} starts per ${periodInWords(r.periodMs)}); next start ${untilInWords(new Date(r.nextStartAt), now)}.`;
}

/** "in 12 s", "in 3 min", or "now" for a moment already past. */
export function untilInWords(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  if (ms <= 0) return "now";
  if (ms < 1_000) return "in under a second";
  // Rounded to what a person reads at a glance: seconds, then whole minutes, then tenths of an
  // hour or a day ("in 1 h", not "in 59.88 min").
  const s = Math.round(ms / 1_000);
  if (s < 60) return `in ${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `in ${min} min`;
  const h = Math.round(min / 6) / 10;
  return h < 48 ? `in ${h} h` : `in ${Math.round(h / 2.4) / 10} d`;
}

export function describeWait(reasons: readonly Reason[] | null, names: WaitNames = {}, now = new Date()): string[] {
  if (reasons === null) return [];
  if (reasons.length === 0) return ["Nothing holds it back: it starts at the next claim of a worker serving its queue."];
  return reasons.map((r) => {
    switch (r.code) {
      case "cap_full":
        return describeCap(r, names);
      case "fair_order": {
        const parts: string[] = [];
        if (r.aheadInOrg > 0) parts.push(`behind ${r.aheadInOrg === 1 ? "1 execution" : `${aheadInWords(r.aheadInOrg)} executions`} of your organization in fair order`);
        if (r.orgsAhead > 0) parts.push(`after ${plural(r.orgsAhead, "other organization")} with a lower load ratio`);
        return `Waiting ${parts.join(", and ")}.`;
      }
      case "rate_limited":
        return describeRate(r, names, now);
      case "scheduled":
        return `Scheduled: it starts ${untilInWords(new Date(r.startAfter), now)} (${r.startAfter}), not before.`;
      case "retry_backoff":
        return `Retry ${r.attempt} of ${r.maxAttempts}: it waits for its backoff and starts ${untilInWords(new Date(r.startAfter), now)} (${r.startAfter}).`;
      case "no_worker":
        return `No live worker serves queue '${r.queue}'.`;
      case "workers_busy":
        return `Waiting for a worker: ${r.workers === 1 ? "the 1 worker" : `all ${r.workers} workers`} serving queue '${r.queue}' ${r.workers === 1 ? "is" : "are"} busy (${r.holding} of ${r.capacity} slots claimed); every cap has room.`;
      case "workers_not_claiming":
        return `No worker has claimed from queue '${r.queue}' ${r.lastClaimAt ? `since ${untilInWords(now, new Date(r.lastClaimAt)).replace(/^in /, "")} ago` : "yet"}, though ${r.workers === 1 ? "1 live worker serves it" : `${r.workers} live workers serve it`}.`;
      case "paused": {
        const slot = r.holdsSlot ? " It keeps its slot meanwhile." : " Its slot is free meanwhile.";
        if (r.waitingFor === "delay") return `Paused: the platform resumes it ${untilInWords(new Date(r.until!), now)} (${r.until}).${slot}`;
        const timeout = r.until ? ` If nobody does, it ${r.onDue === "fail" ? "fails" : "resumes anyway"} ${untilInWords(new Date(r.until), now)} (${r.until}).` : "";
        return `Waiting for an org admin to approve it.${timeout}${slot}`;
      }
      case "resuming":
        return `Resumed in the slot it kept: the next worker claiming queue '${r.queue}' continues it.`;
      case "not_queued":
        return `It is ${r.state.toLowerCase()}, not waiting.`;
    }
  });
}
