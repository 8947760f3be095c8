import { laneKey, decideAdmission } from "../../../lib/scheduler/admission";
import { capsFor, type CapConfig } from "../../../lib/scheduler/caps";
import { pickFair, type Lane } from "../../../lib/scheduler/fair-order";
import { pausedSlotHolders } from "../../../lib/scheduler/paused-slots";
import { addTo, scopesOf, type Counts, type ExecutionKind, type Placement } from "../../../lib/scheduler/scopes";
import { effectiveSettings, type ParallelSettings } from "../../../lib/scheduler/settings";

/**
 * A small in-memory scheduler built from the same pure policy functions as the real one.
 * The model-based test runs random operations against both and demands they agree.
 */
export type State = "QUEUED" | "RUNNING" | "PAUSED" | "SUCCESS" | "FAILED" | "CANCELLED" | "KILLED";
const LIVE: State[] = ["QUEUED", "RUNNING", "PAUSED"];

export interface ModelExecution {
  id: string;
  seq: number;
  placement: Placement;
  priority: number;
  concurrency: number | null;
  state: State;
  holdsSlot: boolean;
  resumeFirst: boolean;
  attempts: number;
  maxAttempts: number;
  pausedOrder: number;
}

export interface ModelConfig {
  globalCapacity: number;
  defaultProjectConcurrency: number;
  orgs: Record<string, { weight: number; maxConcurrency: number; settings: ParallelSettings }>;
  projects: Record<string, { maxConcurrentJobs: number | null; poolId: string | null }>;
  pools: Record<string, number>;
  flows: Record<string, { limit: number | null; behavior: "QUEUE" | "CANCEL" | "FAIL" }>;
  queues: Record<string, { priority: number; concurrency: number }>;
  envLimits: ParallelSettings;
}

export class ReferenceModel {
  executions = new Map<string, ModelExecution>();
  private seq = 0;
  private pauseCounter = 0;

  constructor(public config: ModelConfig) {}

  live(): ModelExecution[] {
    return [...this.executions.values()].filter((e) => LIVE.includes(e.state));
  }

  private placementWithPool(p: Placement): Placement {
    return { ...p, poolId: this.config.projects[p.projectId]!.poolId };
  }

  /** Returns the state the model admits the execution in (or "refused"). */
  submit(id: string, p: Omit<Placement, "poolId">, options: { priority: number; concurrency: number | null; maxAttempts: number }): State {
    const flow = p.flowId ? this.config.flows[p.flowId]! : null;
    const liveInFlow = p.flowId ? this.live().filter((e) => e.placement.flowId === p.flowId).length : 0;
    const admission = decideAdmission({ triggerLocked: false, flow: flow ? { ...flow, liveExecutions: liveInFlow } : null });
    if (admission.outcome === "refuse") return "QUEUED";
    const state: State = admission.outcome === "queue" ? "QUEUED" : admission.state;
    this.executions.set(id, {
      id, seq: ++this.seq, placement: { ...p, poolId: null }, priority: options.priority, concurrency: options.concurrency,
      state, holdsSlot: false, resumeFirst: false, attempts: 0, maxAttempts: options.maxAttempts, pausedOrder: 0,
    });
    return state;
  }

  counts(): Counts {
    const counts: Counts = new Map();
    for (const e of this.executions.values()) if (e.holdsSlot) addTo(counts, scopesOf(this.placementWithPool(e.placement)));
    return counts;
  }

  capConfig(p: Placement): CapConfig {
    const c = this.config;
    const org = c.orgs[p.orgId]!;
    const project = c.projects[p.projectId]!;
    const parent = p.parentId ? this.executions.get(p.parentId) : undefined;
    const root = p.rootId ? this.executions.get(p.rootId) : undefined;
    return {
      globalCapacity: c.globalCapacity,
      orgMaxConcurrency: org.maxConcurrency,
      settings: effectiveSettings(c.envLimits, org.settings),
      projectLimit: project.maxConcurrentJobs ?? c.defaultProjectConcurrency,
      poolLimit: project.poolId ? c.pools[project.poolId]! : null,
      flowLimit: p.flowId ? c.flows[p.flowId]!.limit : null,
      queueConcurrency: c.queues[p.queueId]!.concurrency,
      parentConcurrency: parent?.concurrency ?? null,
      grandparentConcurrency: p.depth === 2 ? (root?.concurrency ?? null) : null,
    };
  }

  /** The executions a claim of `limit` must hand out, in order. */
  claim(limit: number): string[] {
    const lanes = new Map<string, Lane>();
    let laneId = 0;
    const queued = [...this.executions.values()].filter((e) => e.state === "QUEUED").sort((a, b) => Number(b.resumeFirst) - Number(a.resumeFirst) || b.priority - a.priority || a.seq - b.seq);
    for (const e of queued) {
      const p = this.placementWithPool(e.placement);
      const key = laneKey({ ...p, kind: p.kind as ExecutionKind });
      let lane = lanes.get(key);
      if (!lane) {
        lane = { laneId: ++laneId, placement: p, queuePriority: this.config.queues[p.queueId]!.priority, caps: capsFor(p, this.capConfig(p)), heads: [] };
        lanes.set(key, lane);
      }
      lane.heads.push({ id: e.id, seq: e.seq, priority: e.priority, resumeFirst: e.resumeFirst });
    }
    const weights = new Map(Object.entries(this.config.orgs).map(([id, o]) => [id, o.weight]));
    const picks = pickFair([...lanes.values()], weights, this.counts(), limit);
    for (const p of picks) {
      const e = this.executions.get(p.executionId)!;
      if (!e.resumeFirst) e.attempts++;
      Object.assign(e, { state: "RUNNING", holdsSlot: true, resumeFirst: false });
    }
    return picks.map((p) => p.executionId);
  }

  complete(id: string, ok: boolean) {
    const e = this.executions.get(id)!;
    if (e.state !== "RUNNING") return false;
    Object.assign(e, { state: ok ? "SUCCESS" : "FAILED", holdsSlot: false });
    return true;
  }

  expire(id: string) {
    const e = this.executions.get(id)!;
    if (e.state !== "RUNNING") return;
    Object.assign(e, { state: e.attempts < e.maxAttempts ? "QUEUED" : "FAILED", holdsSlot: false, resumeFirst: false });
  }

  pause(id: string) {
    const e = this.executions.get(id)!;
    if (e.state !== "RUNNING") return false;
    Object.assign(e, { state: "PAUSED", pausedOrder: ++this.pauseCounter });
    this.rebalance(e.placement.orgId);
    return true;
  }

  resume(id: string): State | null {
    const e = this.executions.get(id)!;
    if (e.state !== "PAUSED") return null;
    if (e.holdsSlot) e.state = "RUNNING";
    else Object.assign(e, { state: "QUEUED", resumeFirst: true });
    this.rebalance(e.placement.orgId);
    return e.state;
  }

  kill(id: string) {
    const orgs = new Set<string>();
    for (const e of this.live()) {
      if (e.id === id || e.placement.parentId === id || e.placement.rootId === id) {
        orgs.add(e.placement.orgId);
        Object.assign(e, { state: "KILLED", holdsSlot: false, resumeFirst: false });
      }
    }
    for (const o of orgs) this.rebalance(o);
  }

  rebalance(orgId: string) {
    const paused = [...this.executions.values()].filter((e) => e.state === "PAUSED" && e.placement.orgId === orgId);
    const limit = effectiveSettings(this.config.envLimits, this.config.orgs[orgId]!.settings).max_paused_slots;
    // Pause times are distinct and increasing in both worlds; pausedOrder stands in for them.
    const holders = pausedSlotHolders(paused.map((e) => ({ id: e.id, pausedAt: new Date(e.pausedOrder), seq: e.seq })), limit);
    for (const e of paused) e.holdsSlot = holders.has(e.id);
  }
}
