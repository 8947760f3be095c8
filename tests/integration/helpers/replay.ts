import { capsFor, type CapConfig } from "../../../lib/dispatch/policy/caps";
import { addTo, countOf, scopesOf, type Counts, type ExecutionKind, type Placement } from "../../../lib/dispatch/policy/scopes";
import { effectiveSettings } from "../../../lib/dispatch/policy/parallel-settings";
import { envLimits } from "../../../lib/dispatch/options";
import { db } from "./fixtures";

// Judging a run from the execution history alone (never from counters): record each
// transaction's commit position, rebuild every execution's cap scopes from the configuration,
// and replay the transitions in commit order, keeping in-flight per scope. Used by
// scheduler-concurrency.test.ts and demo-smoke.test.ts.

export const TERMINAL = new Set(["SUCCESS", "FAILED", "CANCELLED", "KILLED"]);

/**
 * Why commit order and not `execution_transition.id` order.
 *
 * Ids come from a sequence when a row is INSERTed, not when its transaction commits. Every
 * slot-raising transaction (claim, resume, pause, kill, expiry) holds the dispatch advisory
 * lock from before it reads in-flight counts until after its commit is visible, so among those
 * id order IS commit order. Releases need not take the lock (completeExecutions does not):
 * a release inserted with id r can commit after a claim with id c > r committed, and that
 * claim did not see it. Replaying by id credits such releases too early, so it is lenient (it
 * can hide a real over-cap interleaving) and does not replay states that existed. (Before
 * claimExecutions took the lock ahead of the outcomes it reports, its batched releases were
 * inserted before waiting for the lock and skewed id order by whole lock waits.)
 *
 * So every transaction that writes history records its commit position: a DEFERRED constraint
 * trigger fires at COMMIT time (pre-commit, while xact locks are still held) and takes a number
 * from a sequence, once per transaction. Replaying by (commit position, id):
 *  - never flags a correct scheduler: every increase committed before a claim C has a smaller
 *    position (lock order), and every release C's snapshot could see committed, hence took its
 *    position, before C reached its own pre-commit; so the replayed count at C is at most what
 *    C saw plus what C itself added, which dispatch kept within every cap;
 *  - is exact about what was committed when each increase committed, up to the microseconds
 *    between a concurrent release's pre-commit and its visibility. Any claim that decided on a
 *    stale or unlocked view and pushed a scope past its cap shows up as count > cap.
 * Install it before the run: transitions written earlier have no commit position.
 */
export async function installCommitOrder(): Promise<void> {
  await db().query(`
    CREATE SEQUENCE test_commit_seq;
    CREATE TABLE test_commit_order (xid bigint PRIMARY KEY, seq bigint NOT NULL);
    CREATE FUNCTION test_record_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_commit_order VALUES (pg_current_xact_id()::text::bigint % 4294967296, nextval('test_commit_seq'))
        ON CONFLICT (xid) DO NOTHING;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER test_commit_order AFTER INSERT ON execution_transition
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_record_commit();`);
}

export interface Transition {
  id: number;
  commitSeq: number;
  executionId: string;
  from: string | null;
  to: string;
  holdsSlot: boolean;
  reason: string | null;
  workerId: string | null;
}

/** Every transition in commit order; `uncommitted` lists any without a commit position (should be none). */
export async function loadTransitionsInCommitOrder(): Promise<{ transitions: Transition[]; withoutCommitPosition: number[] }> {
  const history = await db().query<{
    id: number; commit_seq: number | null; execution_id: string; from_state: string | null; to_state: string; holds_slot: boolean; reason: string | null; worker_id: string | null;
  }>(
    `SELECT t.id, c.seq AS commit_seq, t.execution_id, t.from_state, t.to_state, t.holds_slot, t.reason, t.worker_id
       FROM execution_transition t LEFT JOIN test_commit_order c ON c.xid = t.xmin::text::bigint
      ORDER BY c.seq, t.id`,
  );
  return {
    withoutCommitPosition: history.rows.filter((t) => t.commit_seq === null).map((t) => t.id),
    transitions: history.rows.map((t) => ({
      id: t.id, commitSeq: t.commit_seq ?? Number.POSITIVE_INFINITY, executionId: t.execution_id, from: t.from_state, to: t.to_state,
      holdsSlot: t.holds_slot, reason: t.reason, workerId: t.worker_id,
    })),
  };
}

export interface ExecutionRow {
  id: string; org_id: string; project_id: string; pool_id: string | null; flow_id: string | null; queue_id: string; kind: ExecutionKind;
  parent_id: string | null; root_id: string | null; depth: number; state: string; holds_slot: boolean;
  parent_concurrency: number | null; root_concurrency: number | null; key_rule_ids: string[]; key_values: string[];
}

export interface CapScopes {
  executions: ExecutionRow[];
  /** Each execution's scopes (the keys its slot counts in). */
  scopes: Map<string, string[]>;
  /** Each capped scope's limit. */
  limits: Map<string, number>;
  placements: Map<string, Placement>;
  /** Scopes for which two executions computed different caps (there should be none). */
  conflicts: string[];
  queueConcurrency: Map<string, number>;
  /** Each execution's rate windows (docs/limits.md): the starts of the executions that share one are limited together. */
  rates: Map<string, { scope: string; limit: number; periodMs: number }[]>;
}

/**
 * Every execution's scopes and every scope's cap, computed with capsFor from the
 * configuration as it is now — so the configuration must not have changed during the run.
 */
export async function loadCapScopes(): Promise<CapScopes> {
  const executions = (await db().query<ExecutionRow>(
    `SELECT e.id, e.org_id, e.project_id, p.pool_id, e.flow_id, e.queue_id, e.kind, e.parent_id, e.root_id, e.depth, e.state, e.holds_slot,
            pe.concurrency AS parent_concurrency, re.concurrency AS root_concurrency, e.key_rule_ids, e.key_values
       FROM execution e JOIN project p ON p.id = e.project_id
       LEFT JOIN execution pe ON pe.id = e.parent_id LEFT JOIN execution re ON re.id = e.root_id`,
  )).rows;
  const platformRow = (await db().query<{ global_capacity: number; default_project_concurrency: number }>("SELECT * FROM platform_settings")).rows[0]!;
  type Rated = { rate_limit: number | null; rate_period_ms: number | null };
  const rateOf = (r: Rated | undefined) => (r && r.rate_limit !== null ? { limit: r.rate_limit, periodMs: r.rate_period_ms! } : null);
  const orgRows = new Map((await db().query<{ id: string; max_concurrency: number; jobs: number; workflows: number; access_requests: number; max_paused_slots: number } & Rated>("SELECT * FROM organization")).rows.map((r) => [r.id, r]));
  const flowRates = new Map((await db().query<{ id: string } & Rated>("SELECT id, rate_limit, rate_period_ms FROM flow")).rows.map((r) => [r.id, rateOf(r)]));
  const queueRates = new Map((await db().query<{ id: string } & Rated>("SELECT id, rate_limit, rate_period_ms FROM queue")).rows.map((r) => [r.id, rateOf(r)]));
  const rules = new Map((await db().query<{ id: string; name: string; limit: number | null } & Rated>(`SELECT id, name, "limit", rate_limit, rate_period_ms FROM concurrency_key_rule`)).rows.map((r) => [r.id, r]));
  const overrides = new Map((await db().query<{ rule_id: string; key_value: string; limit: number }>(`SELECT rule_id, key_value, "limit" FROM concurrency_key_override`)).rows.map((r) => [`${r.rule_id}:${r.key_value}`, r.limit]));
  const projectRows = new Map((await db().query<{ id: string; max_concurrent_jobs: number | null }>("SELECT * FROM project")).rows.map((r) => [r.id, r]));
  const poolRows = new Map((await db().query<{ id: string; limit: number }>(`SELECT id, "limit" FROM concurrency_pool`)).rows.map((r) => [r.id, r.limit]));
  const flowRows = new Map((await db().query<{ id: string; concurrency_limit: number | null }>("SELECT * FROM flow")).rows.map((r) => [r.id, r.concurrency_limit]));
  const queueConcurrency = new Map((await db().query<{ id: string; concurrency: number }>("SELECT * FROM queue")).rows.map((r) => [r.id, r.concurrency]));
  const scopes = new Map<string, string[]>();
  const limits = new Map<string, number>();
  const placements = new Map<string, Placement>();
  const rates = new Map<string, { scope: string; limit: number; periodMs: number }[]>();
  const conflicts: string[] = [];
  for (const e of executions) {
    const keys = e.key_rule_ids.map((ruleId, i) => ({ ruleId, value: e.key_values[i]! }));
    const placement: Placement = {
      orgId: e.org_id, projectId: e.project_id, poolId: e.pool_id, flowId: e.flow_id, queueId: e.queue_id,
      kind: e.kind, depth: e.depth, parentId: e.parent_id, rootId: e.root_id, keys,
    };
    const o = orgRows.get(e.org_id)!;
    const config: CapConfig = {
      globalCapacity: platformRow.global_capacity,
      orgMaxConcurrency: o.max_concurrency,
      settings: effectiveSettings(envLimits(), o),
      projectLimit: projectRows.get(e.project_id)!.max_concurrent_jobs ?? platformRow.default_project_concurrency,
      poolLimit: e.pool_id ? poolRows.get(e.pool_id)! : null,
      flowLimit: e.flow_id ? (flowRows.get(e.flow_id) ?? null) : null,
      queueConcurrency: queueConcurrency.get(e.queue_id)!,
      parentConcurrency: e.parent_id ? e.parent_concurrency : null,
      grandparentConcurrency: e.depth === 2 ? e.root_concurrency : null,
      orgRate: rateOf(o),
      flowRate: e.flow_id ? (flowRates.get(e.flow_id) ?? null) : null,
      queueRate: queueRates.get(e.queue_id) ?? null,
      keyLimits: keys.flatMap((k) => {
        const rule = rules.get(k.ruleId);
        return rule ? [{ ruleId: k.ruleId, rule: rule.name, value: k.value, of: "-", limit: overrides.get(`${k.ruleId}:${k.value}`) ?? rule.limit, rate: rateOf(rule) }] : [];
      }),
    };
    placements.set(e.id, placement);
    scopes.set(e.id, scopesOf(placement));
    const caps = capsFor(placement, config);
    rates.set(e.id, caps.flatMap((cap) => (cap.periodMs === undefined ? [] : [{ scope: cap.scope, limit: cap.limit, periodMs: cap.periodMs }])));
    // A scope's cap is the same for every execution in it (min of the caps counted there).
    const own = new Map<string, number>();
    for (const cap of caps) if (cap.periodMs === undefined) own.set(cap.scope, Math.min(own.get(cap.scope) ?? Infinity, cap.limit));
    for (const [scope, limit] of own) {
      if ((limits.get(scope) ?? limit) !== limit) conflicts.push(`${scope}: ${limits.get(scope)} vs ${limit}`);
      limits.set(scope, limit);
    }
  }
  return { executions, scopes, limits, placements, conflicts, queueConcurrency, rates };
}

export interface ReplayResult {
  violations: string[];
  /** Slot gained by anything but a QUEUED → RUNNING claim. */
  gainsOutsideDispatch: string[];
  maxSeen: Map<string, number>;
  stillHolding: Set<string>;
  increases: number;
}

/**
 * Replays transitions in the given order, keeping in-flight per scope: a false → true flip of
 * holds_slot adds one to each scope of the execution, a true → false flip removes one. Every
 * increase must leave each of those scopes at or under its cap.
 */
export function replay(order: readonly Transition[], scopes: Map<string, string[]>, limits: Map<string, number>): ReplayResult {
  const counts: Counts = new Map();
  const holding = new Set<string>();
  const maxSeen = new Map<string, number>();
  const violations: string[] = [];
  const gainsOutsideDispatch: string[] = [];
  let increases = 0;
  for (const t of order) {
    const keys = scopes.get(t.executionId)!;
    const was = holding.has(t.executionId);
    if (!was && t.holdsSlot) {
      increases++;
      holding.add(t.executionId);
      addTo(counts, keys, 1);
      if (!(t.from === "QUEUED" && t.to === "RUNNING")) gainsOutsideDispatch.push(`#${t.id} ${t.from}→${t.to} ${t.executionId}`);
      for (const key of keys) {
        const n = countOf(counts, key);
        maxSeen.set(key, Math.max(maxSeen.get(key) ?? 0, n));
        const limit = limits.get(key);
        if (limit !== undefined && n > limit) violations.push(`#${t.id} ${t.from}→${t.to} of ${t.executionId}: ${key} at ${n} > cap ${limit}`);
      }
    } else if (was && !t.holdsSlot) {
      holding.delete(t.executionId);
      addTo(counts, keys, -1);
      for (const key of keys) if (countOf(counts, key) < 0) violations.push(`#${t.id}: ${key} went negative`);
    }
  }
  return { violations, gainsOutsideDispatch, maxSeen, stillHolding: holding, increases };
}

/** The lifecycle's edges (docs/dispatch.md), START being "not submitted yet". */
export const EDGES: Record<string, string[]> = {
  START: ["QUEUED", "CANCELLED", "FAILED"],
  QUEUED: ["RUNNING", "KILLED", "CANCELLED"],
  RUNNING: ["SUCCESS", "FAILED", "QUEUED", "PAUSED", "KILLED"],
  // Every resume goes back to the queue; an approval timing out fails it (docs/lifecycle.md, "Pauses").
  PAUSED: ["PAUSED", "QUEUED", "KILLED", "FAILED"],
};

/**
 * Zero duplicates: per execution the history is one valid path through the lifecycle (a claim
 * only from QUEUED, so never while another lease runs it), RUNNING always holds a slot,
 * whatever ends a run names the worker holding its lease, at most one worker outcome, and it
 * ends where the row is — in exactly one terminal state when `requireTerminal`.
 */
export function historyErrors(byExecution: Map<string, Transition[]>, finalState: Map<string, string>, options: { requireTerminal: boolean }): string[] {
  const errors: string[] = [];
  for (const [id, list] of byExecution) {
    let state = "START";
    let leaseHolder: string | null = null;
    for (const t of list) {
      if ((t.from ?? "START") !== state || !EDGES[state]?.includes(t.to)) errors.push(`${id}: ${t.from}→${t.to} after ${state}`);
      if (t.from === "RUNNING" && t.workerId !== leaseHolder) errors.push(`${id}: ${t.from}→${t.to} by ${t.workerId}, lease held by ${leaseHolder}`);
      if (t.to === "RUNNING") leaseHolder = t.workerId;
      // A pause resumed in the slot it kept is QUEUED holding it, on its way to the next claim.
      const resumedInSlot = t.from === "PAUSED" && t.to === "QUEUED";
      if ((t.to === "RUNNING") !== t.holdsSlot && t.to !== "PAUSED" && !resumedInSlot) errors.push(`${id}: ${t.to} with holds_slot ${t.holdsSlot}`);
      state = t.to;
    }
    const terminals = list.filter((t) => TERMINAL.has(t.to));
    if (state !== finalState.get(id)) errors.push(`${id}: history ends ${state}, row says ${finalState.get(id)}`);
    if (terminals.length > 1 || (terminals.length === 1 && terminals[0] !== list.at(-1))) errors.push(`${id}: ended ${terminals.map((t) => t.to).join("+")}`);
    if (options.requireTerminal && terminals.length !== 1) errors.push(`${id}: not terminal (${state})`);
    const outcomes = list.filter((t) => t.from === "RUNNING" && (t.to === "SUCCESS" || t.to === "FAILED") && t.reason !== "lease expired");
    if (outcomes.length > 1) errors.push(`${id}: ${outcomes.length} worker outcomes`);
  }
  return errors;
}

export function groupByExecution(transitions: readonly Transition[]): Map<string, Transition[]> {
  const byExecution = new Map<string, Transition[]>();
  for (const t of transitions) byExecution.set(t.executionId, [...(byExecution.get(t.executionId) ?? []), t]);
  return byExecution;
}

/**
 * A mutated history for the self-check: find a claim that brought some scope exactly to its
 * cap, and move the latest earlier release in that scope (of an execution with no transition
 * in between) to just after it — the history a claimer that missed that release would write.
 */
export function delayOneRelease(order: readonly Transition[], scopes: Map<string, string[]>, limits: Map<string, number>): Transition[] | null {
  const counts: Counts = new Map();
  const holding = new Set<string>();
  const lastTouch = new Map<string, number>();
  const lastRelease = new Map<string, number>();
  for (const [i, t] of order.entries()) {
    const keys = scopes.get(t.executionId)!;
    const was = holding.has(t.executionId);
    if (!was && t.holdsSlot) {
      holding.add(t.executionId);
      addTo(counts, keys, 1);
      for (const key of keys) {
        const j = lastRelease.get(key);
        if (j === undefined || countOf(counts, key) !== limits.get(key)) continue;
        const moved = order[j]!;
        if ((lastTouch.get(moved.executionId) ?? -1) !== j) continue;
        return [...order.slice(0, j), ...order.slice(j + 1, i + 1), moved, ...order.slice(i + 1)];
      }
    } else if (was && !t.holdsSlot) {
      holding.delete(t.executionId);
      addTo(counts, keys, -1);
      for (const key of keys) lastRelease.set(key, i);
    }
    lastTouch.set(t.executionId, i);
  }
  return null;
}

/**
 * The starts of these executions (docs/limits.md, "Rate limits"), from the history: every
 * QUEUED → RUNNING but the ones that continue a resume (the transition before it was
 * PAUSED → QUEUED), in microseconds of the transaction that made each.
 */
export async function startsOf(executionIds: readonly string[]): Promise<{ executionId: string; atUs: number }[]> {
  const { rows } = await db().query<{ execution_id: string; at_us: number }>(
    `SELECT execution_id, at_us FROM (
       SELECT execution_id, from_state, to_state, (extract(epoch FROM at) * 1000000)::float8 AS at_us,
              lag(from_state) OVER w AS prev_from, lag(to_state) OVER w AS prev_to
         FROM execution_transition WHERE execution_id = ANY($1)
       WINDOW w AS (PARTITION BY execution_id ORDER BY id)) t
      WHERE from_state = 'QUEUED' AND to_state = 'RUNNING' AND NOT (coalesce(prev_from::text, '') = 'PAUSED' AND prev_to = 'QUEUED')
      ORDER BY at_us`,
    [executionIds],
  );
  return rows.map((r) => ({ executionId: r.execution_id, atUs: r.at_us }));
}

/** Every start that would be the (limit + 1)th inside one window of `periodMs` ending with it. */
export function rateWindowViolations(starts: readonly { atUs: number }[], limit: number, periodMs: number): string[] {
  const times = starts.map((s) => s.atUs).sort((a, b) => a - b);
  const violations: string[] = [];
  for (let i = limit; i < times.length; i++) {
    // The start `limit` places earlier must have left the window [t − period, t] by t.
    if (times[i]! - times[i - limit]! < periodMs * 1000) violations.push(`${limit + 1} starts within ${(times[i]! - times[i - limit]!) / 1000} ms (window ${periodMs} ms)`);
  }
  return violations;
}

/**
 * Every rate window replayed from the history: each scope's starts (the executions' starts,
 * resumes left out), checked against its limit. `busiest` is the most starts any window of
 * each scope held, so a run can show its rates were reached.
 */
export async function rateReplay(rates: Map<string, { scope: string; limit: number; periodMs: number }[]>): Promise<{ violations: string[]; busiest: Map<string, { starts: number; limit: number }> }> {
  const starts = await startsOf([...rates.keys()]);
  const byScope = new Map<string, { limit: number; periodMs: number; times: { atUs: number }[] }>();
  for (const s of starts) {
    for (const r of rates.get(s.executionId) ?? []) {
      let scope = byScope.get(r.scope);
      if (!scope) byScope.set(r.scope, (scope = { limit: r.limit, periodMs: r.periodMs, times: [] }));
      scope.times.push(s);
    }
  }
  const violations: string[] = [];
  const busiest = new Map<string, { starts: number; limit: number }>();
  for (const [scope, { limit, periodMs, times }] of byScope) {
    violations.push(...rateWindowViolations(times, limit, periodMs).map((v) => `${scope}: ${v}`));
    const sorted = times.map((t) => t.atUs).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (sorted[i]! - sorted[j]! >= periodMs * 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    busiest.set(scope, { starts: most, limit });
  }
  return { violations, busiest };
}
