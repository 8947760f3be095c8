import { backlogCaps, decideAdmission } from "../../../lib/dispatch/policy/admission";
import { laneKeyWithKeys } from "../../../lib/dispatch/submit";
import { keyValuesFor, type KeyRuleRef } from "../../../lib/keys/key-values";
import type { FlowBehavior } from "../../../lib/contract/fields";
import { capsFor, isRate, type Cap, type CapConfig, type Rate } from "../../../lib/dispatch/policy/caps";
import { pickFair, type Head, type Lane } from "../../../lib/dispatch/policy/fair-order";
import { pausedSlotHolders } from "../../../lib/dispatch/policy/paused-slots";
import { addTo, scopesOf, type Counts, type ExecutionKind, type KeyValue, type Placement } from "../../../lib/dispatch/policy/scopes";
import { effectiveSettings, type ParallelSettings } from "../../../lib/dispatch/policy/parallel-settings";
import type { RetryPolicy } from "../../../lib/core/fields";

/** maxForcedPerOrg as the model test sets it. */
export const MAX_FORCED_PER_ORG = 2;

// A pure, in-memory reference scheduler for the model-based test (scheduler-model.test.ts).
//
// It keeps plain execution records and decides everything with the SAME pure policy the
// Postgres-backed scheduler is supposed to implement — decideAdmission, backlogCaps, capsFor,
// pickFair, pausedSlotHolders, effectiveSettings, scopesOf, keyValuesFor, laneKey — plus the
// lifecycle rules (docs/dispatch.md) (leases and fencing tokens, attempts, kill cascade, delete,
// paused slots) and admission v2 (docs/limits.md: idempotency keys, debounce, delayed start,
// backlog caps, rate windows). Time does not pass in it: rate windows are longer than a run,
// and scheduled executions come due only when the test says so. Nothing here reads the
// database: the test applies every step to both and demands they agree.

export type ExecState = "QUEUED" | "RUNNING" | "PAUSED" | "SUCCESS" | "FAILED" | "CANCELLED" | "KILLED";
export const LIVE: readonly ExecState[] = ["QUEUED", "RUNNING", "PAUSED"];
export const isLive = (s: ExecState) => LIVE.includes(s);

export interface OrgConfig {
  weight: number;
  maxConcurrency: number;
  /** Configured (settings_value) parallel execution settings; dispatch uses min(env, these). */
  settings: ParallelSettings;
  rate: Rate | null;
  /** Backlog cap: null = the platform default, 0 = none. */
  maxQueued: number | null;
}
export interface ProjectConfig {
  orgId: string;
  maxConcurrentJobs: number | null;
  poolId: string | null;
  defaultQueueId: string | null;
}
export interface PoolConfig {
  orgId: string;
  limit: number;
}
export interface QueueConfig {
  orgId: string;
  name: string;
  priority: number;
  concurrency: number;
  rate: Rate | null;
}
export interface FlowConfig {
  orgId: string;
  projectId: string;
  limit: number | null;
  behavior: FlowBehavior;
  childConcurrency: number | null;
  defaultQueueId: string | null;
  rate: Rate | null;
  maxQueued: number | null;
  /** Debounce by the submission's debounceKey. */
  debounce: { delayMs: number; maxDelayMs: number } | null;
}
export interface KeyRuleConfig extends KeyRuleRef {
  orgId: string;
  flowId: string | null;
  queueId: string | null;
  limit: number | null;
  rate: Rate | null;
  /** Creation order (rules apply org-wide first, then flow, then queue; then by age). */
  order: number;
  overrides: Map<string, number>;
}
export interface TriggerConfig {
  orgId: string;
  flowId: string;
}

export interface ModelConfig {
  globalCapacity: number;
  defaultProjectConcurrency: number;
  envLimits: ParallelSettings;
  orgs: Map<string, OrgConfig>;
  projects: Map<string, ProjectConfig>;
  pools: Map<string, PoolConfig>;
  queues: Map<string, QueueConfig>;
  flows: Map<string, FlowConfig>;
  triggers: Map<string, TriggerConfig>;
  keyRules: Map<string, KeyRuleConfig>;
  defaultMaxQueued: number;
}

export interface ModelExecution {
  id: string;
  /** Submission order (the database's seq is a sequence in the same order). */
  seq: number;
  orgId: string;
  projectId: string;
  flowId: string | null;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  kind: ExecutionKind;
  queueId: string;
  priority: number;
  concurrency: number | null;
  triggerId: string | null;
  maxAttempts: number;

  state: ExecState;
  holdsSlot: boolean;
  resumeFirst: boolean;
  attempts: number;
  leaseToken: number;
  leaseWorker: string | null;
  /** The test made the lease look expired (SQL); the next expiry pass reclaims it. */
  leaseExpired: boolean;
  /** Order in which it was paused (only while PAUSED). */
  pausedOrder: number | null;
  /** While PAUSED: what it waits for, what the platform does when its time comes, and whether the test made that time pass. */
  pause: { kind: "delay" | "approval"; onDue: "resume" | "fail" | null; due: boolean } | null;
  reason: string | null;
  /** Last worker that held a lease on it (for generating late / duplicate reports). */
  lastWorker: string | null;
  /** Its key under each rule that covered it at submit (a debounce push re-reads them). */
  keys: KeyValue[];
  /** Scheduled: QUEUED but not in its lane until it is due and dispatch moves it there. */
  waiting: boolean;
  /** The test made its start time pass. */
  due: boolean;
  debounceKey: string | null;
  /** What it was submitted with (a rerun submits it again). */
  payload: Record<string, unknown>;
  concurrencyKey: string | null;
  /** It has a retry policy: a FAILED outcome with attempts left waits for its backoff. */
  retries: boolean;
  retry: RetryPolicy | null;
  /** Forced to run now and not started since (docs/lifecycle.md, "Run now"). */
  forcePending: boolean;
  /** Forced at some time (counts toward maxForcedPerOrg while live; cannot be forced again). */
  forcedOrder: number | null;
}

export interface SubmitRequest {
  orgId: string;
  projectId: string;
  flowId?: string | null;
  parentId?: string | null;
  queue?: string | null;
  priority?: number;
  concurrency?: number | null;
  triggerId?: string | null;
  accessRequest?: boolean;
  maxAttempts: number;
  concurrencyKey?: string | null;
  payload?: Record<string, unknown>;
  delayMs?: number | null;
  idempotencyKey?: string | null;
  debounceKey?: string | null;
  retry?: RetryPolicy | null;
}

export type SubmitPrediction =
  | { outcome: "error"; status: number; code: string }
  | { outcome: "existing"; id: string; by: "idempotencyKey" | "debounce" }
  | { outcome: "created"; state: "QUEUED" | "CANCELLED" | "FAILED"; reason: string | null; keys: KeyValue[]; waiting: boolean; debounceKey: string | null };

export type ReportResult =
  | { executionId: string; ok: true }
  | { executionId: string; ok: false; code: "not_found" | "killed" | "lease_lost" };

export class ReferenceModel {
  readonly executions = new Map<string, ModelExecution>();
  /** Ids removed by delete (the execution and its descendants). */
  readonly deleted = new Set<string>();
  /** Starts inside each rate window: all of them (windows outlast a run). */
  readonly rateStarts: Counts = new Map();
  /** (org, idempotency key) → the execution it answers with. */
  readonly idempotency = new Map<string, string>();
  private seq = 0;
  private forces = 0;
  private pauses = 0;

  constructor(readonly config: ModelConfig) {}

  // ---------------------------------------------------------------- queries

  all(): ModelExecution[] {
    return [...this.executions.values()].sort((a, b) => a.seq - b.seq);
  }

  get(id: string): ModelExecution | undefined {
    return this.executions.get(id);
  }

  effective(orgId: string): ParallelSettings {
    return effectiveSettings(this.config.envLimits, this.config.orgs.get(orgId)!.settings);
  }

  placementOf(e: ModelExecution): Placement {
    return {
      orgId: e.orgId,
      projectId: e.projectId,
      poolId: this.config.projects.get(e.projectId)!.poolId,
      flowId: e.flowId,
      queueId: e.queueId,
      kind: e.kind,
      depth: e.depth,
      parentId: e.parentId,
      rootId: e.rootId,
      keys: e.keys,
    };
  }

  /** The rules that cover an execution of this flow and queue, in the order they apply. */
  rulesFor(orgId: string, flowId: string | null, queueId: string): KeyRuleConfig[] {
    return [...this.config.keyRules.values()]
      .filter((r) => r.orgId === orgId && ((r.flowId === null && r.queueId === null) || (r.flowId !== null && r.flowId === flowId) || (r.queueId !== null && r.queueId === queueId)))
      .sort((a, b) => Number(a.flowId !== null) - Number(b.flowId !== null) || Number(a.queueId !== null) - Number(b.queueId !== null) || a.order - b.order);
  }

  /** Every cap that applies to the execution under the current configuration. */
  capsOf(e: ModelExecution): Cap[] {
    const c = this.config;
    const org = c.orgs.get(e.orgId)!;
    const project = c.projects.get(e.projectId)!;
    const cfg: CapConfig = {
      globalCapacity: c.globalCapacity,
      orgMaxConcurrency: org.maxConcurrency,
      settings: this.effective(e.orgId),
      projectLimit: project.maxConcurrentJobs ?? c.defaultProjectConcurrency,
      poolLimit: project.poolId ? c.pools.get(project.poolId)!.limit : null,
      flowLimit: e.flowId ? c.flows.get(e.flowId)!.limit : null,
      queueConcurrency: c.queues.get(e.queueId)!.concurrency,
      parentConcurrency: e.parentId ? (this.executions.get(e.parentId)?.concurrency ?? null) : null,
      grandparentConcurrency: e.depth === 2 && e.rootId ? (this.executions.get(e.rootId)?.concurrency ?? null) : null,
      orgRate: org.rate,
      flowRate: e.flowId ? c.flows.get(e.flowId)!.rate : null,
      queueRate: c.queues.get(e.queueId)!.rate,
      // A deleted rule no longer limits the keys its executions carry.
      keyLimits: e.keys.flatMap((k) => {
        const rule = c.keyRules.get(k.ruleId);
        return rule ? [{ ruleId: k.ruleId, rule: rule.name, value: k.value, of: "-", limit: rule.overrides.get(k.value) ?? rule.limit, rate: rule.rate }] : [];
      }),
    };
    return capsFor(this.placementOf(e), cfg);
  }

  /** In-flight count per scope (every execution that holds a slot), and each rate window's starts. */
  counts(): Counts {
    const counts: Counts = new Map(this.rateStarts);
    for (const e of this.executions.values()) if (e.holdsSlot) addTo(counts, scopesOf(this.placementOf(e)));
    return counts;
  }

  laneKeyOf(e: ModelExecution): string {
    return laneKeyWithKeys({ orgId: e.orgId, projectId: e.projectId, flowId: e.flowId, queueId: e.queueId, parentId: e.parentId, kind: e.kind, keys: e.keys });
  }

  /** QUEUED executions in lanes (not the scheduled ones), per lane key. */
  queuedByLane(): Map<string, number> {
    const byLane = new Map<string, number>();
    for (const e of this.executions.values()) if (e.state === "QUEUED" && !e.waiting && !e.holdsSlot) byLane.set(this.laneKeyOf(e), (byLane.get(this.laneKeyOf(e)) ?? 0) + 1);
    return byLane;
  }

  /** QUEUED executions, scheduled ones too: what a backlog cap counts. */
  backlog(orgId: string, flowId: string | null): number {
    // A resumed execution holding its slot is in flight, not waiting.
    return this.all().filter((e) => e.state === "QUEUED" && !e.holdsSlot && e.orgId === orgId && (flowId === null || e.flowId === flowId)).length;
  }

  /** Lanes with queued work (optionally only some queues / one org), heads in lane order. */
  lanes(filter: { queues?: readonly string[] | null; orgId?: string | null } = {}): Lane[] {
    const groups = new Map<string, ModelExecution[]>();
    for (const e of this.all()) {
      // A resumed execution holding its slot is started before the fair pick, not from a lane.
      if (e.state !== "QUEUED" || e.waiting || e.holdsSlot) continue;
      if (filter.orgId && e.orgId !== filter.orgId) continue;
      if (filter.queues && filter.queues.length > 0 && !filter.queues.includes(this.config.queues.get(e.queueId)!.name)) continue;
      const key = this.laneKeyOf(e);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    let laneId = 0;
    return [...groups.values()].map((members): Lane => {
      const first = members[0]!;
      const heads: Head[] = members
        .map((m) => ({ id: m.id, seq: m.seq, priority: m.priority, resumeFirst: m.resumeFirst }))
        .sort((a, b) => Number(b.resumeFirst) - Number(a.resumeFirst) || b.priority - a.priority || a.seq - b.seq);
      return {
        laneId: ++laneId,
        placement: this.placementOf(first),
        queuePriority: this.config.queues.get(first.queueId)!.priority,
        caps: this.capsOf(first),
        heads,
      };
    });
  }

  // ---------------------------------------------------------------- admission

  /** What submitting this request must do (no state change). */
  predictSubmit(r: SubmitRequest): SubmitPrediction {
    const c = this.config;
    // An idempotency key's repeat gets its first execution, whatever else it says.
    const held = r.idempotencyKey ? this.idempotency.get(`${r.orgId}:${r.idempotencyKey}`) : undefined;
    if (held) return { outcome: "existing", id: held, by: "idempotencyKey" };
    const project = c.projects.get(r.projectId);
    if (!project || project.orgId !== r.orgId) return { outcome: "error", status: 404, code: "not_found" };
    if (r.parentId) {
      const parent = this.executions.get(r.parentId);
      if (!parent || parent.orgId !== r.orgId) return { outcome: "error", status: 404, code: "not_found" };
      if (parent.depth >= 2) return { outcome: "error", status: 422, code: "validation_failed" };
      if (!isLive(parent.state)) return { outcome: "error", status: 409, code: "parent_finished" };
    }
    let flowId = r.flowId ?? null;
    if (r.triggerId) {
      const trigger = c.triggers.get(r.triggerId);
      if (!trigger || trigger.orgId !== r.orgId) return { outcome: "error", status: 404, code: "not_found" };
      if (flowId && flowId !== trigger.flowId) return { outcome: "error", status: 422, code: "validation_failed" };
      flowId = trigger.flowId;
    }
    const flow = flowId ? c.flows.get(flowId) : null;
    if (flowId && (!flow || flow.orgId !== r.orgId)) return { outcome: "error", status: 404, code: "not_found" };
    if (flow && flow.projectId !== r.projectId) return { outcome: "error", status: 422, code: "validation_failed" };
    // A debounced flow sets the start itself.
    if (flow?.debounce && r.delayMs) return { outcome: "error", status: 422, code: "validation_failed" };
    const queueId = this.queueIdByName(r.orgId, this.resolveQueueName(r, flowId));
    if (!queueId) return { outcome: "error", status: 422, code: "validation_failed" };
    const { keys, issues } = keyValuesFor(this.rulesFor(r.orgId, flowId, queueId), { concurrencyKey: r.concurrencyKey, payload: r.payload });
    if (issues.length > 0) return { outcome: "error", status: 422, code: "validation_failed" };
    if (flow?.debounce) {
      if (!r.debounceKey) return { outcome: "error", status: 422, code: "validation_failed" };
      const waiting = this.all().find((e) => e.flowId === flowId && e.debounceKey === r.debounceKey && e.waiting);
      if (waiting) return { outcome: "existing", id: waiting.id, by: "debounce" };
    }

    const triggerLocked = r.triggerId ? this.all().some((e) => e.triggerId === r.triggerId && isLive(e.state)) : false;
    const liveExecutions = flowId ? this.all().filter((e) => e.flowId === flowId && isLive(e.state)).length : 0;
    const admission = decideAdmission({
      triggerLocked,
      flow: flow ? { limit: flow.limit, behavior: flow.behavior, liveExecutions } : null,
    });
    if (admission.outcome === "refuse") return { outcome: "error", status: 409, code: admission.code };
    const debounceKey = flow?.debounce ? r.debounceKey! : null;
    if (admission.outcome === "record") return { outcome: "created", state: admission.state, reason: admission.reason, keys, waiting: false, debounceKey };
    const caps = backlogCaps({ orgMaxQueued: c.orgs.get(r.orgId)!.maxQueued, platformDefault: c.defaultMaxQueued, flowMaxQueued: flow?.maxQueued ?? null });
    if (caps.some((cap) => this.backlog(r.orgId, cap.scope === "flow" ? flowId : null) >= cap.limit)) return { outcome: "error", status: 429, code: "backlog_full" };
    return { outcome: "created", state: "QUEUED", reason: null, keys, waiting: Boolean(r.delayMs) || debounceKey !== null, debounceKey };
  }

  /** A debounced submission folded into the waiting one: its payload (so its keys) replaces the old, its start moves on. */
  pushDebounced(id: string, r: SubmitRequest): void {
    const e = this.executions.get(id)!;
    e.keys = keyValuesFor(this.rulesFor(e.orgId, e.flowId, e.queueId), { concurrencyKey: r.concurrencyKey, payload: r.payload }).keys;
    e.due = false;
    e.payload = r.payload ?? {};
    e.concurrencyKey = r.concurrencyKey ?? null;
    if (r.idempotencyKey) this.idempotency.set(`${r.orgId}:${r.idempotencyKey}`, id);
  }

  /** What rerunning a finished execution submits (lib/dispatch/rerun.ts), or null when it is live. */
  rerunRequest(e: ModelExecution): SubmitRequest | null {
    if (isLive(e.state)) return null;
    return {
      orgId: e.orgId, projectId: e.projectId, flowId: e.flowId, parentId: e.parentId, queue: this.config.queues.get(e.queueId)!.name,
      priority: e.priority, concurrency: e.concurrency, triggerId: e.triggerId, accessRequest: e.kind === "access_request",
      payload: e.payload, concurrencyKey: e.concurrencyKey, debounceKey: e.debounceKey, maxAttempts: e.maxAttempts, retry: e.retry,
    };
  }

  /** Run now: the refusal code, or null when it is forced. */
  force(e: ModelExecution): string | null {
    if (e.state !== "QUEUED") return "not_queued";
    if (e.holdsSlot) return "holds_slot";
    if (e.forcedOrder !== null) return "already_forced";
    const live = this.all().filter((x) => x.orgId === e.orgId && x.forcedOrder !== null && isLive(x.state)).length;
    if (live >= MAX_FORCED_PER_ORG) return "forced_limit";
    e.forcedOrder = ++this.forces;
    e.forcePending = true;
    e.waiting = false; // a scheduled one joins its lane at once
    e.due = false;
    return null;
  }

  private resolveQueueName(r: SubmitRequest, flowId: string | null): string {
    const c = this.config;
    const flowQueue = flowId ? c.flows.get(flowId)!.defaultQueueId : null;
    const projectQueue = c.projects.get(r.projectId)!.defaultQueueId;
    return r.queue ?? (flowQueue ? c.queues.get(flowQueue)!.name : null) ?? (projectQueue ? c.queues.get(projectQueue)!.name : null) ?? "default";
  }

  queueIdByName(orgId: string, name: string): string | undefined {
    for (const [id, q] of this.config.queues) if (q.orgId === orgId && q.name === name) return id;
    return undefined;
  }

  /** Records an admitted submission under the id the real system gave it. */
  insert(r: SubmitRequest, id: string, prediction: Extract<SubmitPrediction, { outcome: "created" }>): ModelExecution {
    const flowId = r.triggerId ? this.config.triggers.get(r.triggerId)!.flowId : (r.flowId ?? null);
    const parent = r.parentId ? this.executions.get(r.parentId)! : null;
    const e: ModelExecution = {
      id,
      seq: ++this.seq,
      orgId: r.orgId,
      projectId: r.projectId,
      flowId,
      parentId: parent?.id ?? null,
      rootId: parent ? (parent.rootId ?? parent.id) : null,
      depth: parent ? parent.depth + 1 : 0,
      kind: r.accessRequest ? "access_request" : parent ? "workflow" : "job",
      queueId: this.queueIdByName(r.orgId, this.resolveQueueName(r, flowId))!,
      priority: r.priority ?? 0,
      concurrency: r.concurrency ?? (flowId ? this.config.flows.get(flowId)!.childConcurrency : null),
      triggerId: r.triggerId ?? null,
      maxAttempts: r.retry?.maxAttempts ?? r.maxAttempts,
      state: prediction.state,
      holdsSlot: false,
      resumeFirst: false,
      attempts: 0,
      leaseToken: 0,
      leaseWorker: null,
      leaseExpired: false,
      pausedOrder: null,
      pause: null,
      reason: prediction.reason,
      lastWorker: null,
      keys: prediction.keys,
      waiting: prediction.waiting,
      due: false,
      debounceKey: prediction.debounceKey,
      payload: r.payload ?? {},
      concurrencyKey: r.concurrencyKey ?? null,
      retries: Boolean(r.retry),
      retry: r.retry ?? null,
      forcePending: false,
      forcedOrder: null,
    };
    this.executions.set(id, e);
    if (r.idempotencyKey) this.idempotency.set(`${r.orgId}:${r.idempotencyKey}`, id);
    return e;
  }

  /** Scheduled executions that are due move into their lanes (claims and sweeps do it first). */
  promoteDue(): string[] {
    const moved = this.all().filter((e) => e.waiting && e.due);
    for (const e of moved) e.waiting = e.due = false;
    return moved.map((e) => e.id);
  }

  /** Pauses whose time the test made pass: delays resume, approvals fail or resume as they said (lib/dispatch/sql/pauses.ts). */
  wakeDuePauses(): string[] {
    const due = this.all().filter((e) => e.state === "PAUSED" && e.pause?.due);
    for (const e of due) {
      if (e.pause!.onDue === "fail") {
        e.state = "FAILED";
        e.holdsSlot = false;
        e.leaseWorker = null;
        e.reason = "approval timed out";
        e.pausedOrder = null;
        e.pause = null;
      } else this.backToQueue(e);
    }
    this.rebalancePausedSlots();
    return due.map((e) => e.id);
  }

  // ---------------------------------------------------------------- dispatch

  /** Reclaims expired leases (all, or only these ids): back to QUEUED while attempts remain. */
  expireLeases(onlyIds: readonly string[] | null = null): string[] {
    const expired: string[] = [];
    for (const e of this.all()) {
      if (e.state !== "RUNNING" || !e.leaseExpired) continue;
      if (onlyIds && !onlyIds.includes(e.id)) continue;
      const again = e.attempts < e.maxAttempts;
      e.state = again ? "QUEUED" : "FAILED";
      e.reason = again ? null : "lease expired";
      // Under a retry policy the next attempt waits for its backoff (longer than a run).
      if (again && e.retries) {
        e.waiting = true;
        e.due = false;
      }
      e.holdsSlot = false;
      e.leaseWorker = null;
      e.leaseExpired = false;
      e.resumeFirst = false;
      expired.push(e.id);
    }
    return expired;
  }

  /** Expires due leases, then hands out up to `limit` slots in weighted fair order. */
  claim(workerId: string, limit: number, filter: { queues?: readonly string[] | null; orgId?: string | null } = {}): ModelExecution[] {
    this.expireLeases();
    this.promoteDue();
    this.wakeDuePauses();
    this.lastForced = new Set();
    if (limit <= 0) return [];
    // Resumed executions that kept their slots first, oldest first: no cap checked, no rate charged.
    const held = this.all()
      .filter((e) => e.state === "QUEUED" && e.holdsSlot && this.matches(e, filter))
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit)
      .map((e) => this.start(e, workerId));
    // Forced executions next, ignoring caps, oldest force first (lib/dispatch/sql/forced.ts).
    const forced = this.all()
      .filter((e) => e.forcePending && e.state === "QUEUED" && !e.waiting && this.matches(e, filter))
      .sort((a, b) => a.forcedOrder! - b.forcedOrder!)
      .slice(0, limit - held.length);
    for (const e of forced) addTo(this.rateStarts, this.capsOf(e).filter(isRate).map((cap) => cap.scope)); // a start, charged always
    const started = [...held, ...forced.map((e) => this.start(e, workerId))];
    this.lastForced = new Set(forced.map((e) => e.id));
    if (limit - started.length <= 0) return started;
    const weights = new Map([...this.config.orgs].map(([id, o]) => [id, o.weight]));
    const picks = pickFair(this.lanes(filter), weights, this.counts(), limit - started.length);
    return [...started, ...picks.map((p) => {
      const e = this.executions.get(p.executionId)!;
      // A start is charged to every rate window over it; a resume is not a start.
      if (!e.resumeFirst) addTo(this.rateStarts, this.capsOf(e).filter(isRate).map((cap) => cap.scope));
      return this.start(e, workerId);
    })];
  }

  /** The forced executions the last claim started, ignoring caps. */
  lastForced = new Set<string>();

  private matches(e: ModelExecution, filter: { queues?: readonly string[] | null; orgId?: string | null }): boolean {
    if (filter.orgId && e.orgId !== filter.orgId) return false;
    return !filter.queues || filter.queues.length === 0 || filter.queues.includes(this.config.queues.get(e.queueId)!.name);
  }

  private start(e: ModelExecution, workerId: string): ModelExecution {
    e.state = "RUNNING";
    e.holdsSlot = true;
    if (!e.resumeFirst) e.attempts += 1;
    e.resumeFirst = false;
    e.leaseToken += 1;
    e.leaseWorker = workerId;
    e.lastWorker = workerId;
    e.leaseExpired = false;
    e.pausedOrder = null;
    e.forcePending = false; // a force is for the next start only
    return e;
  }

  private holdsLiveLease(e: ModelExecution | undefined, workerId: string, token: number): e is ModelExecution {
    return !!e && e.state === "RUNNING" && e.leaseToken === token && e.leaseWorker === workerId && !e.leaseExpired;
  }

  private refusal(id: string): ReportResult {
    const e = this.executions.get(id);
    return { executionId: id, ok: false, code: !e ? "not_found" : e.state === "KILLED" ? "killed" : "lease_lost" };
  }

  /** Completion: only the current, unexpired lease (worker + token) of a RUNNING execution counts. */
  complete(workerId: string, outcomes: readonly { executionId: string; leaseToken: number; status: "SUCCESS" | "FAILED"; error?: string | null; retryable?: boolean }[]): ReportResult[] {
    const ok = new Set(outcomes.filter((o) => this.holdsLiveLease(this.executions.get(o.executionId), workerId, o.leaseToken)).map((o) => o.executionId));
    const results = outcomes.map((o): ReportResult => (ok.has(o.executionId) ? { executionId: o.executionId, ok: true } : this.refusal(o.executionId)));
    for (const o of outcomes) {
      if (!ok.has(o.executionId)) continue;
      const e = this.executions.get(o.executionId)!;
      // A failure with attempts left under a retry policy waits for its backoff (docs/lifecycle.md).
      const retry = o.status === "FAILED" && e.retries && o.retryable !== false && e.attempts < e.maxAttempts;
      e.state = retry ? "QUEUED" : o.status;
      e.holdsSlot = false;
      e.leaseWorker = null;
      e.reason = o.status === "FAILED" ? (o.error ?? "failed") : null;
      if (retry) {
        e.waiting = true;
        e.due = false;
      }
    }
    return results;
  }

  /** Heartbeat: extends live leases; a lease found expired is reclaimed on the spot. */
  heartbeat(workerId: string, beats: readonly { executionId: string; leaseToken: number }[]): ReportResult[] {
    const results = beats.map((b): ReportResult =>
      this.holdsLiveLease(this.executions.get(b.executionId), workerId, b.leaseToken) ? { executionId: b.executionId, ok: true } : this.refusal(b.executionId),
    );
    const expired = beats.map((b) => b.executionId).filter((id) => {
      const e = this.executions.get(id);
      return !!e && e.state === "RUNNING" && e.leaseExpired;
    });
    if (expired.length > 0) this.expireLeases(expired);
    return results;
  }

  /** Pause by the lease holder: its lease ends, the platform holds it. Returns whether it keeps its slot, or "lease_lost". */
  pause(id: string, leaseToken: number, workerId: string, wait: ModelExecution["pause"] = null): { holdsSlot: boolean } | "lease_lost" {
    const e = this.executions.get(id);
    if (!this.holdsLiveLease(e, workerId, leaseToken)) return "lease_lost";
    e.state = "PAUSED";
    e.pausedOrder = ++this.pauses;
    e.pause = wait ?? { kind: "approval", onDue: null, due: false };
    this.rebalancePausedSlots();
    return { holdsSlot: e.holdsSlot };
  }

  /** Resume (by a worker or an admin): back to the queue ahead of new work, in the slot it kept if it kept one. */
  resume(id: string): { state: "QUEUED"; holdsSlot: boolean } | "not_found" | "not_paused" {
    const e = this.executions.get(id);
    if (!e) return "not_found";
    if (e.state !== "PAUSED") return "not_paused";
    this.backToQueue(e);
    this.rebalancePausedSlots();
    return { state: "QUEUED", holdsSlot: e.holdsSlot };
  }

  private backToQueue(e: ModelExecution): void {
    e.pausedOrder = null;
    e.pause = null;
    e.state = "QUEUED";
    e.resumeFirst = true;
    e.leaseWorker = null;
  }

  /** Kill: the execution and every live descendant end KILLED and free their slots. */
  kill(id: string, reason: string): string[] | "not_found" {
    if (!this.executions.has(id)) return "not_found";
    const ended: string[] = [];
    for (const e of this.all()) {
      if (!(e.id === id || e.parentId === id || e.rootId === id) || !isLive(e.state)) continue;
      e.state = "KILLED";
      e.holdsSlot = false;
      e.leaseWorker = null;
      e.leaseExpired = false;
      e.resumeFirst = false;
      e.pausedOrder = null;
      e.pause = null;
      e.reason = reason;
      e.waiting = e.due = false;
      ended.push(e.id);
    }
    this.rebalancePausedSlots();
    return ended;
  }

  /** Delete: kills first, then the row and its descendants are gone. */
  delete(id: string, reason: string): string[] | "not_found" {
    const killed = this.kill(id, reason);
    if (killed === "not_found") return killed;
    for (const e of this.all()) {
      if (e.id === id || e.parentId === id || e.rootId === id) {
        this.executions.delete(e.id);
        this.deleted.add(e.id);
      }
    }
    // Idempotency keys go with their execution.
    for (const [key, held] of this.idempotency) if (this.deleted.has(held)) this.idempotency.delete(key);
    return killed;
  }

  /** Per org, the first max_paused_slots paused (by pause time) free their slot. */
  rebalancePausedSlots(): void {
    for (const orgId of this.config.orgs.keys()) {
      const paused = this.all().filter((e) => e.orgId === orgId && e.state === "PAUSED");
      const holders = pausedSlotHolders(
        paused.map((e) => ({ id: e.id, pausedAt: new Date(e.pausedOrder!), seq: e.seq })),
        this.effective(orgId).max_paused_slots,
      );
      for (const e of paused) e.holdsSlot = holders.has(e.id);
    }
  }

  /** The test made this execution's lease look expired. */
  markLeaseExpired(id: string): void {
    const e = this.executions.get(id);
    if (e && e.state === "RUNNING") e.leaseExpired = true;
  }
}
