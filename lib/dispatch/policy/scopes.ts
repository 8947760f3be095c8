// Scopes are the units in-flight work is counted in. Every in-flight execution adds one to
// each scope it belongs to; every cap is a limit on one scope. Keys are plain strings so
// counts can live in a Map and be rebuilt from execution rows at any time.

export type ExecutionKind = "job" | "workflow" | "access_request";

/** The value an execution has for one concurrency key rule (docs/limits.md). */
export interface KeyValue {
  ruleId: string;
  value: string;
}

/** The fields of an execution (or of a lane: they share them) that decide its scopes. */
export interface Placement {
  orgId: string;
  projectId: string;
  poolId: string | null;
  flowId: string | null;
  queueId: string;
  kind: ExecutionKind;
  depth: number;
  parentId: string | null;
  rootId: string | null;
  /** Its key under each concurrency key rule it fell under at submit, in rule order. */
  keys?: readonly KeyValue[];
}

export const scopeKey = {
  global: () => "global",
  org: (orgId: string) => `org:${orgId}`,
  jobs: (orgId: string) => `jobs:${orgId}`,
  accessRequests: (orgId: string) => `access_requests:${orgId}`,
  /** In-flight descendants of an execution. */
  descendants: (executionId: string) => `descendants:${executionId}`,
  project: (projectId: string) => `project:${projectId}`,
  pool: (poolId: string) => `pool:${poolId}`,
  flow: (flowId: string) => `flow:${flowId}`,
  queue: (queueId: string) => `queue:${queueId}`,
  /** In-flight executions with this key value under this rule. */
  key: (ruleId: string, value: string) => `key:${ruleId}:${value}`,
  /** Starts still inside a rate limit's window (counted from the claims' rate charges, not in flight). */
  rate: (of: "org" | "flow" | "queue", id: string) => `rate:${of}:${id}`,
  keyRate: (ruleId: string, value: string) => `rate:key:${ruleId}:${value}`,
};

/** Every scope an in-flight execution with this placement counts towards. */
export function scopesOf(p: Placement): string[] {
  const keys = [scopeKey.global(), scopeKey.org(p.orgId), scopeKey.project(p.projectId), scopeKey.queue(p.queueId)];
  if (p.kind === "job") keys.push(scopeKey.jobs(p.orgId));
  if (p.kind === "access_request") keys.push(scopeKey.accessRequests(p.orgId));
  if (p.poolId) keys.push(scopeKey.pool(p.poolId));
  if (p.flowId) keys.push(scopeKey.flow(p.flowId));
  // Nesting is at most three levels, so an execution's ancestors are its parent and its root.
  if (p.rootId) keys.push(scopeKey.descendants(p.rootId));
  if (p.parentId && p.parentId !== p.rootId) keys.push(scopeKey.descendants(p.parentId));
  for (const k of p.keys ?? []) keys.push(scopeKey.key(k.ruleId, k.value));
  return keys;
}

export type Counts = Map<string, number>;

export function countOf(counts: Counts, key: string): number {
  return counts.get(key) ?? 0;
}

export function addTo(counts: Counts, keys: readonly string[], delta = 1): void {
  for (const key of keys) counts.set(key, countOf(counts, key) + delta);
}
