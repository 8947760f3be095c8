import { countOf, scopeKey, type Counts, type Placement } from "./scopes";
import type { ParallelSettings } from "./parallel-settings";

// Which caps apply to an execution, and which of them are full. One function decides this
// for dispatch, explain and the tests, so they can never disagree.

export type CapCode =
  | "global"
  | "org"
  | "jobs"
  | "access_requests"
  | "workflows"
  | "pipeline"
  | "controller"
  | "project"
  | "pool"
  | "flow"
  | "queue";

export interface Cap {
  code: CapCode;
  /** The counted scope (see scopes.ts). */
  scope: string;
  limit: number;
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
  return caps;
}

export function capStatuses(caps: readonly Cap[], counts: Counts): CapStatus[] {
  return caps.map((cap) => ({ ...cap, inFlight: countOf(counts, cap.scope) }));
}

/** Caps with no room left right now. */
export function fullCaps(caps: readonly Cap[], counts: Counts): CapStatus[] {
  return capStatuses(caps, counts).filter((c) => c.inFlight >= c.limit);
}

/** How many more executions these caps admit (Infinity when none applies). */
export function roomUnder(caps: readonly Cap[], counts: Counts): number {
  let room = Number.POSITIVE_INFINITY;
  for (const cap of caps) room = Math.min(room, cap.limit - countOf(counts, cap.scope));
  return Math.max(0, room);
}
