import { countOf, scopeKey, type Counts, type Placement } from "./scopes";
import type { ParallelSettings } from "./parallel-settings";
import type { CapCodeName } from "../../contract/fields";

// Which caps apply to an execution, and which of them are full. One function decides this
// for dispatch, explain and the tests, so they can never disagree.

export type CapCode = CapCodeName;

/** At most `limit` starts in any window of `periodMs` (docs/limits.md, "Rate limits"). */
export interface Rate {
  limit: number;
  periodMs: number;
}

/** A key's rule, for the words of explain and the dashboard. */
export interface KeyOfCap {
  ruleId: string;
  /** The rule's name. */
  rule: string;
  value: string;
  /** What the rule covers: "flow etl", "queue default", "the organization". */
  of: string;
}

export interface Cap {
  code: CapCode;
  /** The counted scope (see scopes.ts). */
  scope: string;
  limit: number;
  /**
   * Set for a rate limit: its scope counts starts, each for `periodMs`, instead of executions
   * in flight. A resume is not a start, so a rate never holds a resumed execution back.
   */
  periodMs?: number;
  key?: KeyOfCap;
}

/** A concurrency key rule as it applies to one key value (the override's limit, if any, in place of the rule's). */
export interface KeyLimit extends KeyOfCap {
  limit: number | null;
  rate: Rate | null;
}

export interface CapStatus extends Cap {
  inFlight: number;
}

/** Current configuration that bears on one placement. Zero means "no cap" where the setting says so (README, "Configuration"). */
export interface CapConfig {
  globalCapacity: number;
  orgMaxConcurrency: number;
  /** Effective (min(env, settings)) parallel execution settings of the org. */
  settings: ParallelSettings;
  /** The project's maxConcurrentJobs, or the platform default when it is empty. */
  projectLimit: number;
  poolLimit: number | null;
  /** Flow concurrency.limit (applies to dispatch whatever the behavior), null when unset. */
  flowLimit: number | null;
  queueConcurrency: number;
  /** `concurrency` of the direct parent (direct pipeline), null when unset or top-level. */
  parentConcurrency: number | null;
  /** `concurrency` of the grandparent (controller pipeline), null when unset or absent. */
  grandparentConcurrency: number | null;
  orgRate?: Rate | null;
  flowRate?: Rate | null;
  queueRate?: Rate | null;
  /** Each key of the placement under a rule that still exists. */
  keyLimits?: readonly KeyLimit[];
}

export function capsFor(p: Placement, c: CapConfig): Cap[] {
  const caps: Cap[] = [];
  const add = (code: CapCode, scope: string, limit: number | null) => {
    if (limit !== null && limit > 0) caps.push({ code, scope, limit });
  };
  add("global", scopeKey.global(), c.globalCapacity);
  add("org", scopeKey.org(p.orgId), c.orgMaxConcurrency);
  if (p.kind === "job") add("jobs", scopeKey.jobs(p.orgId), c.settings.jobs);
  if (p.kind === "access_request") add("access_requests", scopeKey.accessRequests(p.orgId), c.settings.access_requests);
  if (p.rootId) add("workflows", scopeKey.descendants(p.rootId), c.settings.workflows);
  if (p.parentId) add("pipeline", scopeKey.descendants(p.parentId), c.parentConcurrency);
  if (p.depth === 2 && p.rootId) add("controller", scopeKey.descendants(p.rootId), c.grandparentConcurrency);
  add("project", scopeKey.project(p.projectId), c.projectLimit);
  if (p.poolId) add("pool", scopeKey.pool(p.poolId), c.poolLimit);
  if (p.flowId) add("flow", scopeKey.flow(p.flowId), c.flowLimit);
  add("queue", scopeKey.queue(p.queueId), c.queueConcurrency);
  for (const k of c.keyLimits ?? []) {
    const key = { ruleId: k.ruleId, rule: k.rule, value: k.value, of: k.of };
    if (k.limit !== null) caps.push({ code: "key", scope: scopeKey.key(k.ruleId, k.value), limit: k.limit, key });
    if (k.rate) caps.push({ code: "key_rate", scope: scopeKey.keyRate(k.ruleId, k.value), limit: k.rate.limit, periodMs: k.rate.periodMs, key });
  }
  const rate = (code: CapCode, scope: string, r: Rate | null | undefined) => {
    if (r) caps.push({ code, scope, limit: r.limit, periodMs: r.periodMs });
  };
  rate("org_rate", scopeKey.rate("org", p.orgId), c.orgRate);
  if (p.flowId) rate("flow_rate", scopeKey.rate("flow", p.flowId), c.flowRate);
  rate("queue_rate", scopeKey.rate("queue", p.queueId), c.queueRate);
  return caps;
}

export function isRate(cap: Cap): boolean {
  return cap.periodMs !== undefined;
}

/** The rate windows a start under these caps is charged to. */
export function rateCharges(caps: readonly Cap[]): { scope: string; periodMs: number }[] {
  return caps.flatMap((cap) => (cap.periodMs === undefined ? [] : [{ scope: cap.scope, periodMs: cap.periodMs }]));
}

export function capStatuses(caps: readonly Cap[], counts: Counts): CapStatus[] {
  return caps.map((cap) => ({ ...cap, inFlight: countOf(counts, cap.scope) }));
}

/** Caps with no room left right now. */
export function fullCaps(caps: readonly Cap[], counts: Counts): CapStatus[] {
  return capStatuses(caps, counts).filter((c) => c.inFlight >= c.limit);
}

/**
 * How many more executions these caps admit (Infinity when none applies). For a resumed
 * execution, rate limits do not count: resuming is not a start.
 */
export function roomUnder(caps: readonly Cap[], counts: Counts, resumed = false): number {
  let room = Number.POSITIVE_INFINITY;
  for (const cap of caps) {
    if (resumed && cap.periodMs !== undefined) continue;
    room = Math.min(room, cap.limit - countOf(counts, cap.scope));
  }
  return Math.max(0, room);
}
