import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../lib/core/errors";
import { claimExecutions, completeExecutions, type Outcome } from "../../lib/dispatch/claim";
import { heartbeatExecutions } from "../../lib/dispatch/heartbeat";
import { deleteExecution, killExecution } from "../../lib/dispatch/kill";
import type { SchedulerOptions } from "../../lib/dispatch/options";
import { pauseExecution, resumeExecution } from "../../lib/dispatch/pause-resume";
import { reconcile } from "../../lib/dispatch/reconcile";
import { countOf, scopesOf, addTo, type Counts, type ExecutionKind } from "../../lib/dispatch/policy/scopes";
import type { ParallelSettings, SettingName } from "../../lib/dispatch/policy/parallel-settings";
import { envLimits } from "../../lib/dispatch/options";
import { submitExecution } from "../../lib/dispatch/submit";
import { CHARGED_STARTS } from "../../lib/dispatch/sql/rate-windows";
import { sweepOnce } from "../../lib/dispatch/sweeper";
import { updateParallelSettings } from "../../lib/orgs/parallel-settings";
import { db, worker } from "./helpers/fixtures";
import { MAX_FORCED_PER_ORG, ReferenceModel, type ExecState, type ModelConfig, type ModelExecution, type ReportResult, type SubmitRequest } from "./helpers/reference-model";
import { forceExecution } from "../../lib/dispatch/force";
import { rerunExecution } from "../../lib/dispatch/rerun";

// Model-based test of the Postgres-backed scheduler against a pure reference model
// (helpers/reference-model.ts) that decides with the same pure policy functions.
//
// Each run builds a small fixed world (three orgs of different weights, two projects each,
// one pool, two queues of different priority, flows with QUEUE / CANCEL / FAIL limits and
// triggers; a concurrency key rule per org on a flow, read from the payload, and an org-wide
// one read from the submission's concurrencyKey; rate limits on an org, a queue, a flow and a
// rule's keys; a debounced flow and a backlog cap), then applies a random sequence of steps —
// submit (jobs, access requests, nested children, triggers, keys present or missing, delayed,
// debounced, with idempotency keys), claim (with queue / org filters and piggy-backed
// completions), heartbeat, complete (incl. duplicate, stale-token and wrong-worker reports),
// pause, resume, kill, delete, lease expiry, scheduled work coming due, sweeps, and live config
// edits (overrides, key and rate limits, backlog caps too) — to both.
// After every step:
//   1. a claim only ever raised a scope's in-flight count while it was below the cap: for
//      each claimed execution, every cap that applies to it holds afterwards; any other
//      step never raises any count (except lowering max_paused_slots, which re-takes slots);
//   2. in-flight per scope and queued per lane equal the model's, and
//      reconcile({repair:false}) finds no lane drift and no paused-slot mismatch;
//   3. nothing is lost: the executions in the database are exactly the model's (deleted
//      ones excepted), each in the same state, slot, attempts, lease and reason;
//   4. every claim returned exactly what the model's pickFair chose, in the same order;
//   5. rate windows: the starts charged per window equal the model's, and replayed from the
//      history, no claim took a window past its limit (unless it was past it already).
//
// Reproduce a failure with MODEL_SEED=<seed> (and MODEL_PATH=<path> to replay the shrunk
// case) as printed by fast-check; MODEL_RUNS changes the number of runs, MODEL_EXAMPLE=<i>
// runs only fixed sequence i of REGRESSIONS (or none, with any other value). A failure's
// message carries a readable trace of every operation up to the failing step.

// An env ceiling below one org's jobs setting (current_value = min(env, setting)); leases long
// enough that only the test's SQL makes them expire. Every scheduler call gets the same options.
const ENV_LIMITS: ParallelSettings = { ...envLimits(), jobs: 4 };
const OPTIONS: Partial<SchedulerOptions> = { leaseTtlMs: 600_000, envLimits: ENV_LIMITS };
const SEED = Number(process.env.MODEL_SEED ?? 20_261_125);
const RUNS = Number(process.env.MODEL_RUNS ?? 40);
const MAX_STEPS = 60;

// ------------------------------------------------------------------------------- world

interface OrgWorld {
  id: string;
  projects: [string, string];
  /** Per project, its flows (index 0 = none is handled by the step). */
  flows: [string[], string[]];
  triggerOf: Map<string, string>;
  queues: { default: string; urgent: string };
  pool: string;
  /** Its concurrency key rules (the first: per customer on the plain flow). */
  rules: string[];
}

interface World {
  config: ModelConfig;
  orgs: OrgWorld[];
  workers: [string, string];
}

/** Longer than any run: a start stays in its window to the end, so the model needs no clock. */
const WINDOW_MS = 3_600_000;
const HOUR_DELAY = 3_600_000;
const ORG_SPECS = [
  { weight: 1, maxConcurrency: 0, settings: { jobs: 3, workflows: 2, access_requests: 1, max_paused_slots: 1 }, rate: null, maxQueued: 8 },
  { weight: 2, maxConcurrency: 4, settings: { jobs: 5, workflows: 3, access_requests: 2, max_paused_slots: 0 }, rate: { limit: 8, periodMs: WINDOW_MS }, maxQueued: null },
  { weight: 3, maxConcurrency: 0, settings: { jobs: 6, workflows: 2, access_requests: 1, max_paused_slots: 2 }, rate: null, maxQueued: null },
];

async function one(sql: string, params: unknown[]): Promise<string> {
  return (await db().query<{ id: string }>(sql, params)).rows[0]!.id;
}

async function buildWorld(): Promise<World> {
  await db().query(
    "TRUNCATE organization, execution, execution_transition, dispatch_lane, worker, audit_event, concurrency_sample, rate_charge, idempotency_key CASCADE",
  );
  await db().query("UPDATE platform_settings SET default_max_queued = 0, max_forced_per_org = $1", [MAX_FORCED_PER_ORG]);
  const config: ModelConfig = {
    globalCapacity: 8,
    defaultProjectConcurrency: 3,
    envLimits: ENV_LIMITS,
    orgs: new Map(),
    projects: new Map(),
    pools: new Map(),
    queues: new Map(),
    flows: new Map(),
    triggers: new Map(),
    keyRules: new Map(),
    defaultMaxQueued: 0,
  };
  await db().query("UPDATE platform_settings SET global_capacity = $1, default_project_concurrency = $2", [config.globalCapacity, config.defaultProjectConcurrency]);
  const orgs: OrgWorld[] = [];
  for (const [i, spec] of ORG_SPECS.entries()) {
    const s = spec.settings;
    const orgId = await one(
      `INSERT INTO organization (name, slug, weight, max_concurrency, jobs, workflows, access_requests, max_paused_slots, rate_limit, rate_period_ms, max_queued)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [`model-org-${i}`, spec.weight, spec.maxConcurrency, s.jobs, s.workflows, s.access_requests, s.max_paused_slots, spec.rate?.limit ?? null, spec.rate?.periodMs ?? null, spec.maxQueued],
    );
    config.orgs.set(orgId, { weight: spec.weight, maxConcurrency: spec.maxConcurrency, settings: { ...s }, rate: spec.rate, maxQueued: spec.maxQueued });
    const queue = async (name: string, priority: number, concurrency: number, rate: { limit: number; periodMs: number } | null = null) => {
      const id = await one("INSERT INTO queue (org_id, name, priority, concurrency, rate_limit, rate_period_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", [orgId, name, priority, concurrency, rate?.limit ?? null, rate?.periodMs ?? null]);
      config.queues.set(id, { orgId, name, priority, concurrency, rate });
      return id;
    };
    const queues = { default: await queue("default", 0, 0), urgent: await queue("urgent", 5, 2, i === 0 ? { limit: 4, periodMs: WINDOW_MS } : null) };
    const pool = await one(`INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, 'shared', 2) RETURNING id`, [orgId]);
    config.pools.set(pool, { orgId, limit: 2 });
    const project = async (name: string, maxConcurrentJobs: number | null, poolId: string | null, defaultQueueId: string | null) => {
      const id = await one(
        "INSERT INTO project (org_id, name, max_concurrent_jobs, pool_id, default_queue_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        [orgId, name, maxConcurrentJobs, poolId, defaultQueueId],
      );
      config.projects.set(id, { orgId, maxConcurrentJobs, poolId, defaultQueueId });
      return id;
    };
    const p0 = await project("p0", null, null, null);
    const p1 = await project("p1", 3, pool, queues.urgent);
    const triggerOf = new Map<string, string>();
    const flow = async (
      projectId: string, name: string, limit: number | null, behavior: "QUEUE" | "CANCEL" | "FAIL", childConcurrency: number | null, defaultQueueId: string | null,
      extra: { rate?: { limit: number; periodMs: number }; debounce?: { delayMs: number; maxDelayMs: number } } = {},
    ) => {
      const id = await one(
        `INSERT INTO flow (org_id, project_id, name, concurrency_limit, concurrency_behavior, child_concurrency, default_queue_id,
                           rate_limit, rate_period_ms, debounce_source, debounce_delay_ms, debounce_max_delay_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [orgId, projectId, name, limit, behavior, childConcurrency, defaultQueueId, extra.rate?.limit ?? null, extra.rate?.periodMs ?? null,
         extra.debounce ? "submission" : null, extra.debounce?.delayMs ?? null, extra.debounce?.maxDelayMs ?? null],
      );
      config.flows.set(id, { orgId, projectId, limit, behavior, childConcurrency, defaultQueueId, rate: extra.rate ?? null, maxQueued: null, debounce: extra.debounce ?? null });
      const t = await one("INSERT INTO trigger (org_id, flow_id, name) VALUES ($1, $2, $3) RETURNING id", [orgId, id, `${name}-trigger`]);
      config.triggers.set(t, { orgId, flowId: id });
      triggerOf.set(id, t);
      return id;
    };
    const flows: [string[], string[]] = [
      [await flow(p0, "queue-2", 2, "QUEUE", 1, null, i === 2 ? { rate: { limit: 5, periodMs: WINDOW_MS } } : {}), await flow(p0, "cancel-1", 1, "CANCEL", null, null)],
      [
        await flow(p1, "fail-1", 1, "FAIL", null, queues.urgent),
        await flow(p1, "plain", null, "QUEUE", null, null, i === 1 ? { debounce: { delayMs: HOUR_DELAY, maxDelayMs: 2 * HOUR_DELAY } } : {}),
      ],
    ];
    const rule = async (r: { flowId: string | null; source: "submission" | "payload"; path: string | null; limit: number | null; rate: { limit: number; periodMs: number } | null }) => {
      const name = `rule-${config.keyRules.size}`;
      const id = await one(
        `INSERT INTO concurrency_key_rule (org_id, name, flow_id, source, path, "limit", rate_limit, rate_period_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9 * interval '1 millisecond') RETURNING id`,
        [orgId, name, r.flowId, r.source, r.path, r.limit, r.rate?.limit ?? null, r.rate?.periodMs ?? null, config.keyRules.size],
      );
      config.keyRules.set(id, { id, name, orgId, flowId: r.flowId, queueId: null, source: r.source, path: r.path, limit: r.limit, rate: r.rate, order: config.keyRules.size, overrides: new Map() });
      return id;
    };
    // Per customer (from the payload) on the plain flow; org 2 also limits every submission by its concurrencyKey.
    const rules = [await rule({ flowId: flows[1][1]!, source: "payload", path: "/customer", limit: 1, rate: null })];
    if (i === 2) rules.push(await rule({ flowId: null, source: "submission", path: null, limit: 2, rate: { limit: 3, periodMs: WINDOW_MS } }));
    orgs.push({ id: orgId, projects: [p0, p1], flows, triggerOf, queues, pool, rules });
  }
  return { config, orgs, workers: [await worker(), await worker()] };
}

// ------------------------------------------------------------------------------- steps

type ConfigChange =
  | { what: "weight"; org: number; value: number }
  | { what: "orgMax"; org: number; value: number }
  | { what: "setting"; org: number; name: SettingName; value: number }
  | { what: "projectMax"; org: number; project: number; value: number | null }
  | { what: "poolLimit"; org: number; value: number }
  | { what: "flowLimit"; org: number; project: number; flow: number; value: number | null }
  | { what: "queue"; org: number; queue: "default" | "urgent"; priority: number; concurrency: number }
  | { what: "platform"; globalCapacity: number; defaultProjectConcurrency: number }
  | { what: "keyLimit"; org: number; value: number | null }
  | { what: "override"; org: number; key: string; value: number | null }
  | { what: "rate"; target: "org1" | "urgent0" | "flow2" | "keys2"; value: number }
  | { what: "orgMaxQueued"; org: number; value: number | null }
  | { what: "flowMaxQueued"; org: number; value: number | null }
  | { what: "defaultMaxQueued"; value: number };

type Step =
  | {
      t: "submit"; org: number; project: number; flow: number; kind: "job" | "access_request" | "child"; parent: number;
      queue: "default" | "urgent" | null; priority: number; concurrency: number | null; trigger: boolean; omitFlow: boolean; maxAttempts: number;
      /** Submit this many identical requests (builds backlogs). */
      copies: number;
      /** The submission's concurrencyKey, the payload's customer, the debounce key (null: none given). */
      ckey: string | null; customer: string | null; dkey: string | null;
      delayed: boolean; idem: string | null;
      /** With a retry policy (maxAttempts, an hour's backoff). */
      retries?: boolean;
    }
  | { t: "rerun"; pick: number }
  | { t: "force"; pick: number }
  | { t: "due"; pick: number }
  | { t: "sweep" }
  | { t: "claim"; worker: number; limit: number; queue: "default" | "urgent" | null; org: number | null; completeFirst: number | null }
  | { t: "heartbeat"; pick: number; stale: boolean }
  | { t: "complete"; pick: number; status: "SUCCESS" | "FAILED"; mode: "current" | "duplicate" | "staleToken" | "otherWorker"; error: boolean; final?: boolean }
  /** A pause waits for approval (none: no timeout), a delay, or an approval timing out to fail or resume (an hour ahead: a "pauseDue" step brings it on). */
  | { t: "pause"; pick: number; wait?: "none" | "delay" | "timeoutFail" | "timeoutResume" }
  /** Resumed by a worker, or approved by an org admin. */
  | { t: "resume"; pick: number; worker: number; admin?: boolean }
  | { t: "pauseDue"; pick: number }
  | { t: "kill"; pick: number }
  | { t: "delete"; pick: number }
  | { t: "expire"; pick: number; then: "sweep" | "heartbeat" | "nothing" }
  | { t: "config"; change: ConfigChange };

const pick = fc.nat({ max: 1_000 });
const orgIdx = fc.nat({ max: ORG_SPECS.length - 1 });

const configArb: fc.Arbitrary<ConfigChange> = fc.oneof(
  fc.record({ what: fc.constant("weight" as const), org: orgIdx, value: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ what: fc.constant("orgMax" as const), org: orgIdx, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({
    what: fc.constant("setting" as const), org: orgIdx, name: fc.constantFrom<SettingName>("jobs", "workflows", "access_requests", "max_paused_slots"),
    value: fc.integer({ min: 1, max: 5 }),
  }).map((c) => (c.name === "max_paused_slots" ? { ...c, value: c.value - 1 } : c)),
  fc.record({ what: fc.constant("projectMax" as const), org: orgIdx, project: fc.nat({ max: 1 }), value: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }) }),
  fc.record({ what: fc.constant("poolLimit" as const), org: orgIdx, value: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    what: fc.constant("flowLimit" as const), org: orgIdx, project: fc.nat({ max: 1 }), flow: fc.nat({ max: 1 }),
    value: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  }),
  fc.record({
    what: fc.constant("queue" as const), org: orgIdx, queue: fc.constantFrom("default" as const, "urgent" as const),
    priority: fc.integer({ min: -1, max: 6 }), concurrency: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ what: fc.constant("platform" as const), globalCapacity: fc.integer({ min: 0, max: 10 }), defaultProjectConcurrency: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ what: fc.constant("keyLimit" as const), org: orgIdx, value: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }) }),
  fc.record({ what: fc.constant("override" as const), org: orgIdx, key: fc.constantFrom("c1", "c2"), value: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }) }),
  fc.record({ what: fc.constant("rate" as const), target: fc.constantFrom("org1" as const, "urgent0" as const, "flow2" as const, "keys2" as const), value: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ what: fc.constant("orgMaxQueued" as const), org: orgIdx, value: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }) }),
  fc.record({ what: fc.constant("flowMaxQueued" as const), org: orgIdx, value: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }) }),
  fc.record({ what: fc.constant("defaultMaxQueued" as const), value: fc.constantFrom(0, 0, 6, 12) }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 7,
    arbitrary: fc.record({
      t: fc.constant("submit" as const),
      org: orgIdx,
      project: fc.nat({ max: 1 }),
      flow: fc.nat({ max: 2 }),
      kind: fc.constantFrom("job" as const, "job" as const, "job" as const, "access_request" as const, "child" as const, "child" as const, "child" as const),
      parent: pick,
      queue: fc.constantFrom(null, null, "default" as const, "urgent" as const),
      priority: fc.integer({ min: 0, max: 2 }),
      concurrency: fc.constantFrom(null, null, 1, 2),
      trigger: fc.nat({ max: 4 }).map((n) => n < 2),
      copies: fc.constantFrom(1, 1, 1, 1, 2, 3, 5),
      omitFlow: fc.boolean(),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
      ckey: fc.constantFrom(null, "k1", "k1", "k2", "k3"),
      customer: fc.constantFrom(null, "c1", "c1", "c2", "c3"),
      dkey: fc.constantFrom(null, "d1", "d1", "d2"),
      delayed: fc.nat({ max: 7 }).map((n) => n === 0),
      idem: fc.nat({ max: 31 }).map((n) => (n < 4 ? `i${n}` : null)),
      retries: fc.nat({ max: 3 }).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("rerun" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("force" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("due" as const), pick }) },
  { weight: 1, arbitrary: fc.constant({ t: "sweep" as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("claim" as const),
      worker: fc.nat({ max: 1 }),
      limit: fc.integer({ min: 1, max: 5 }),
      queue: fc.constantFrom(null, null, null, "default" as const, "urgent" as const),
      org: fc.constantFrom(null, null, null, null, 0, 1, 2),
      completeFirst: fc.option(pick, { freq: 4, nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("heartbeat" as const), pick, stale: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("complete" as const), pick, status: fc.constantFrom("SUCCESS" as const, "FAILED" as const),
      mode: fc.constantFrom("current" as const, "current" as const, "current" as const, "duplicate" as const, "staleToken" as const, "otherWorker" as const),
      error: fc.boolean(),
      final: fc.nat({ max: 3 }).map((n) => n === 0),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("pause" as const), pick, wait: fc.constantFrom("none" as const, "delay" as const, "timeoutFail" as const, "timeoutResume" as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("resume" as const), pick, worker: fc.nat({ max: 1 }), admin: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("pauseDue" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("kill" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const), pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("expire" as const), pick, then: fc.constantFrom("sweep" as const, "heartbeat" as const, "nothing" as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("config" as const), change: configArb }) },
);

// ------------------------------------------------------------------------------- runner

interface DbRow {
  id: string; seq: number; state: ExecState; holds_slot: boolean; resume_first: boolean; attempts: number; lease_token: number;
  lease_worker_id: string | null; reason: string | null; lane_id: number | null; org_id: string; project_id: string; pool_id: string | null;
  flow_id: string | null; queue_id: string; kind: ExecutionKind; depth: number; parent_id: string | null; root_id: string | null;
  key_rule_ids: string[]; key_values: string[]; waiting_lane_id: number | null;
}

/** What the runs exercised (printed at the end), so a passing run shows it tested something. */
const coverage = new Map<string, number>();
const bump = (key: string, n = 1) => {
  if (n > 0) coverage.set(key, (coverage.get(key) ?? 0) + n);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const choose = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

/** A worker-facing report without the extras the model does not predict (lease expiry time, state). */
function report(r: { executionId: string; ok: boolean; code?: string }): ReportResult {
  return r.ok ? { executionId: r.executionId, ok: true } : { executionId: r.executionId, ok: false, code: r.code as "not_found" | "killed" | "lease_lost" };
}

async function errorCode(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

class Run {
  readonly model: ReferenceModel;
  /** What happened, one line per operation, each with the number of its step. */
  readonly trace: string[] = [];
  step = 0;
  private readonly labels = new Map<string, string>();
  private previousCounts: Counts = new Map();
  private previousStarts: Counts = new Map();

  constructor(readonly world: World) {
    this.model = new ReferenceModel(world.config);
  }

  log(line: string): void {
    this.trace.push(`[step ${this.step}] ${line}`);
  }

  label(id: string): string {
    return this.labels.get(id) ?? id.slice(0, 8);
  }

  private w(i: number): string {
    return this.world.workers[i % 2]!;
  }

  private wl(workerId: string | null): string {
    return workerId === null ? "-" : `w${this.world.workers.indexOf(workerId)}`;
  }

  async apply(step: Step): Promise<void> {
    const m = this.model;
    let claimed: ModelExecution[] = [];
    let countsMayRise = false;
    switch (step.t) {
      case "submit": {
        let orgIndex = step.org;
        let parentId: string | null = null;
        if (step.kind === "child") {
          // Mostly a live parent that can nest further (of any org: the child joins its org),
          // often a middle one (depth 2 children); sometimes any of the org's executions
          // (finished or too deep: refused).
          const live = m.all().filter((e) => e.depth < 2 && (e.state === "QUEUED" || e.state === "RUNNING" || e.state === "PAUSED"));
          const middle = live.filter((e) => e.depth === 1);
          const mine = m.all().filter((e) => e.orgId === this.world.orgs[step.org]!.id);
          const parent = choose(step.parent % 5 === 0 || live.length === 0 ? mine : step.parent % 3 !== 0 && middle.length > 0 ? middle : live, step.parent);
          if (parent) {
            parentId = parent.id;
            orgIndex = this.world.orgs.findIndex((o) => o.id === parent.orgId);
          }
        }
        const org = this.world.orgs[orgIndex]!;
        const projectId = org.projects[step.project as 0 | 1];
        const flowId = step.flow === 0 ? null : org.flows[step.project as 0 | 1][step.flow - 1]!;
        const request: SubmitRequest = {
          orgId: org.id, projectId, flowId, priority: step.priority, concurrency: step.concurrency, queue: step.queue, maxAttempts: step.maxAttempts,
          concurrencyKey: step.ckey, payload: step.customer ? { customer: step.customer } : {}, delayMs: step.delayed ? HOUR_DELAY : null,
          idempotencyKey: step.idem, debounceKey: step.dkey,
          // Retries wait an hour (longer than a run): a "due" step brings one on.
          ...(step.retries ? { retry: { maxAttempts: step.maxAttempts, backoff: { initialMs: HOUR_DELAY, factor: 1, maxMs: HOUR_DELAY }, jitter: 0 } } : {}),
        };
        if (step.kind === "access_request") request.accessRequest = true;
        if (parentId) request.parentId = parentId;
        if (step.trigger && flowId) {
          request.triggerId = org.triggerOf.get(flowId)!;
          if (step.omitFlow) request.flowId = null;
        }
        const what = `submit org${orgIndex} p${step.project} flow=${step.flow} ${step.kind}${request.parentId ? ` parent=${this.label(request.parentId)}` : ""} q=${step.queue} prio=${step.priority} conc=${step.concurrency} trig=${request.triggerId ? "yes" : "no"} maxAttempts=${step.maxAttempts}${step.retries ? " retries" : ""} ckey=${step.ckey} customer=${step.customer} dkey=${step.dkey} delayed=${step.delayed} idem=${step.idem}`;
        for (let copy = 0; copy < step.copies; copy++) await this.submit(request, what);
        break;
      }
      case "claim": {
        const workerId = this.w(step.worker);
        const filter = { queues: step.queue ? [step.queue] : null, orgId: step.org === null ? null : this.world.orgs[step.org]!.id };
        const complete: Outcome[] = [];
        if (step.completeFirst !== null) {
          const target = choose(m.all().filter((e) => e.state === "RUNNING" && e.leaseWorker === workerId), step.completeFirst);
          if (target) complete.push({ executionId: target.id, leaseToken: target.leaseToken, status: "SUCCESS" });
        }
        const expectedCompleted = m.complete(workerId, complete);
        const resumedFirst = new Set(m.all().filter((e) => e.resumeFirst).map((e) => e.id));
        const expiredBefore = m.all().filter((e) => e.leaseExpired).length;
        claimed = m.claim(workerId, step.limit, filter);
        bump(claimed.length === 0 ? "claim picking nothing" : claimed.length < step.limit ? "claim picking fewer than its limit" : "claim filling its limit");
        bump("executions dispatched", claimed.length);
        for (const e of claimed) bump(`executions dispatched: ${e.kind} at depth ${e.depth}`);
        bump("resumed executions re-dispatched", claimed.filter((e) => resumedFirst.has(e.id)).length);
        bump("claims picking from several orgs", new Set(claimed.map((e) => e.orgId)).size > 1 ? 1 : 0);
        bump("leases expired by a claim", expiredBefore);
        bump("claims with a queue / org filter", filter.queues || filter.orgId ? 1 : 0);
        bump("completions piggy-backed on a claim", complete.length);
        const expectedClaims = claimed.map((e) => ({ id: this.label(e.id), attempt: e.attempts, leaseToken: e.leaseToken }));
        const what = `claim w${step.worker} limit=${step.limit} queue=${step.queue} org=${step.org}${complete.length ? ` completing ${this.label(complete[0]!.executionId)}` : ""}`;
        this.log(`${what} -> [${expectedClaims.map((c) => c.id).join(", ")}]`);
        const result = await claimExecutions(db(), { workerId, limit: step.limit, queues: filter.queues, orgId: filter.orgId, complete }, OPTIONS);
        expect(result.completed.map(report), what).toEqual(expectedCompleted);
        expect(result.claimed.map((c) => ({ id: this.label(c.id), attempt: c.attempt, leaseToken: c.leaseToken })), what).toEqual(expectedClaims);
        break;
      }
      case "heartbeat": {
        const target = choose(m.all().filter((e) => e.leaseToken > 0), step.pick);
        if (!target) return this.skip(step);
        const workerId = target.lastWorker!;
        const beat = { executionId: target.id, leaseToken: step.stale ? target.leaseToken - 1 : target.leaseToken };
        const expected = m.heartbeat(workerId, [beat]);
        const what = `heartbeat ${this.label(target.id)} by ${this.wl(workerId)} token=${beat.leaseToken}`;
        this.log(`${what} -> ${expected[0]!.ok ? "ok" : (expected[0] as { code: string }).code}`);
        bump(`heartbeat ${expected[0]!.ok ? "ok" : (expected[0] as { code: string }).code}`);
        const result = await heartbeatExecutions(db(), workerId, [beat], OPTIONS);
        expect(result.map(report), what).toEqual(expected);
        break;
      }
      case "complete": {
        const running = m.all().filter((e) => e.state === "RUNNING");
        const everLeased = m.all().filter((e) => e.leaseToken > 0);
        const target = choose(step.mode === "current" || step.mode === "duplicate" ? (running.length > 0 ? running : everLeased) : everLeased, step.pick);
        if (!target) return this.skip(step);
        const holder = target.leaseWorker ?? target.lastWorker!;
        const workerId = step.mode === "otherWorker" ? this.world.workers.find((x) => x !== holder)! : holder;
        const outcome: Outcome = {
          executionId: target.id,
          leaseToken: step.mode === "staleToken" ? target.leaseToken - 1 : target.leaseToken,
          status: step.status,
          error: step.error ? "boom" : null,
          ...(step.final ? { retryable: false } : {}),
        };
        const times = step.mode === "duplicate" ? 2 : 1;
        for (let i = 0; i < times; i++) {
          const expected = m.complete(workerId, [outcome]);
          const what = `complete ${this.label(target.id)} ${step.status} by ${this.wl(workerId)} token=${outcome.leaseToken}${i > 0 ? " (duplicate)" : ""}`;
          this.log(`${what} -> ${expected[0]!.ok ? "ok" : (expected[0] as { code: string }).code}`);
          bump(`complete ${step.mode} ${expected[0]!.ok ? "ok" : (expected[0] as { code: string }).code}`);
          const result = await completeExecutions(db(), workerId, [outcome]);
          expect(result.map(report), what).toEqual(expected);
        }
        break;
      }
      case "pause": {
        const target = choose(m.all().filter((e) => e.state === "RUNNING"), step.pick);
        if (!target) return this.skip(step);
        const workerId = target.leaseWorker!;
        const token = target.leaseToken;
        // paused_at has millisecond precision (ties go by seq): keep pauses in distinct milliseconds.
        await sleep(2);
        const kind = step.wait ?? "none";
        const inAnHour = new Date(Date.now() + 3_600_000);
        const wait = kind === "delay" ? { kind: "delay" as const, resumeAt: inAnHour }
          : { kind: "approval" as const, timeoutAt: kind === "none" ? null : inAnHour, onTimeout: kind === "timeoutResume" ? "resume" as const : "fail" as const };
        const expected = m.pause(target.id, token, workerId, {
          kind: wait.kind, due: false, onDue: wait.kind === "delay" ? "resume" : wait.timeoutAt === null ? null : wait.onTimeout,
        });
        const what = `pause ${this.label(target.id)} by ${this.wl(workerId)} token=${token} wait=${kind}`;
        this.log(`${what} -> ${expected === "lease_lost" ? "lease_lost" : `PAUSED holdsSlot=${expected.holdsSlot}`}`);
        bump(expected === "lease_lost" ? "pause lease_lost" : expected.holdsSlot ? "pause keeping its slot" : "pause freeing its slot");
        if (expected === "lease_lost") {
          expect(await errorCode(pauseExecution(db(), { executionId: target.id, leaseToken: token, workerId, wait }, OPTIONS)), what).toBe("lease_lost");
        } else {
          expect(await pauseExecution(db(), { executionId: target.id, leaseToken: token, workerId, wait }, OPTIONS), what).toMatchObject({ state: "PAUSED", holdsSlot: expected.holdsSlot, waitingFor: wait.kind });
        }
        break;
      }
      case "resume": {
        const paused = m.all().filter((e) => e.state === "PAUSED");
        // Now and then resume something that is not paused (refused with not_paused).
        const target = choose(step.pick % 6 === 0 ? m.all() : paused, step.pick);
        if (!target) return this.skip(step);
        const workerId = this.w(step.worker);
        const by = step.admin ? { actor: "model-admin" } : { workerId };
        const expected = m.resume(target.id);
        const what = `resume ${this.label(target.id)} by ${step.admin ? "an admin" : `w${step.worker % 2}`}`;
        this.log(`${what} -> ${typeof expected === "string" ? expected : expected.state}`);
        bump(`resume -> ${typeof expected === "string" ? expected : expected.state}`);
        if (typeof expected === "string") {
          expect(await errorCode(resumeExecution(db(), { executionId: target.id, by }, OPTIONS)), what).toBe(expected);
        } else {
          expect(await resumeExecution(db(), { executionId: target.id, by }, OPTIONS), what).toEqual(expected);
        }
        break;
      }
      case "pauseDue": {
        const target = choose(m.all().filter((e) => e.state === "PAUSED" && e.pause?.onDue && !e.pause.due), step.pick);
        if (!target) return this.skip(step);
        await db().query("UPDATE execution SET pause_until = now() - interval '1 second' WHERE id = $1", [target.id]);
        target.pause!.due = true;
        this.log(`pause of ${this.label(target.id)} comes due (${target.pause!.kind}, then ${target.pause!.onDue})`);
        bump(`pauses coming due: ${target.pause!.kind} -> ${target.pause!.onDue}`);
        break;
      }
      case "kill":
      case "delete": {
        // Mostly live targets (the interesting case); sometimes finished ones (kill still cascades).
        const live = m.all().filter((e) => e.state === "QUEUED" || e.state === "RUNNING" || e.state === "PAUSED");
        const target = choose(live.length > 0 && step.pick % 4 !== 0 ? live : m.all(), step.pick);
        if (!target) return this.skip(step);
        const label = this.label(target.id);
        const stateBefore = target.state;
        const expected = step.t === "kill" ? m.kill(target.id, "killed by model-test") : m.delete(target.id, "killed by model-test (deleted)");
        const what = `${step.t} ${label}`;
        this.log(`${what} -> killed [${expected === "not_found" ? "" : expected.map((id) => this.label(id)).join(", ")}]`);
        bump(`${step.t} of a ${stateBefore} execution`);
        bump(`${step.t} cascading to descendants`, expected !== "not_found" && expected.filter((id) => id !== target.id).length > 0 ? 1 : 0);
        const input = { executionId: target.id, actor: "model-test" };
        const result = step.t === "kill" ? await killExecution(db(), input, OPTIONS) : await deleteExecution(db(), input, OPTIONS);
        expect(new Set(result.killed.map((id) => this.label(id))), what).toEqual(new Set(expected === "not_found" ? [] : expected.map((id) => this.label(id))));
        break;
      }
      case "expire": {
        const target = choose(m.all().filter((e) => e.state === "RUNNING"), step.pick);
        if (!target) return this.skip(step);
        await db().query("UPDATE execution SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [target.id]);
        m.markLeaseExpired(target.id);
        const what = `expire lease of ${this.label(target.id)} then ${step.then}`;
        if (step.then === "sweep") {
          const expired = m.expireLeases();
          this.log(`${what} -> expired [${expired.map((id) => this.label(id)).join(", ")}]`);
          bump(`lease expired by the sweeper -> ${target.state}`);
          const promoted = m.promoteDue();
          const pauses = m.wakeDuePauses();
          expect(await sweepOnce(db()), what).toEqual({ expired: expired.length, promoted: promoted.length, pauses: pauses.length });
        } else if (step.then === "heartbeat") {
          const beat = { executionId: target.id, leaseToken: target.leaseToken };
          const workerId = target.leaseWorker!;
          const expected = m.heartbeat(workerId, [beat]);
          this.log(`${what} -> ${(expected[0] as { code?: string }).code ?? "ok"}, now ${target.state}`);
          bump(`lease expired by a heartbeat -> ${target.state}`);
          const result = await heartbeatExecutions(db(), workerId, [beat], OPTIONS);
          expect(result.map(report), what).toEqual(expected);
        } else {
          this.log(what);
        }
        break;
      }
      case "rerun": {
        // Mostly finished targets; sometimes live ones (refused).
        const finished = m.all().filter((e) => !["QUEUED", "RUNNING", "PAUSED"].includes(e.state));
        const target = choose(finished.length > 0 && step.pick % 5 !== 0 ? finished : m.all(), step.pick);
        if (!target) return this.skip(step);
        const request = m.rerunRequest(target);
        const what = `rerun ${this.label(target.id)}`;
        const send = () => rerunExecution(db(), { executionId: target.id, orgId: target.orgId, actor: "model-test" });
        if (!request) {
          this.log(`${what} -> refused not_finished`);
          bump("rerun refused not_finished");
          expect(await errorCode(send()), what).toBe("not_finished");
          break;
        }
        bump("reruns");
        await this.submit(request, what, send);
        break;
      }
      case "force": {
        const queued = m.all().filter((e) => e.state === "QUEUED");
        const target = choose(queued.length > 0 && step.pick % 5 !== 0 ? queued : m.all(), step.pick);
        if (!target) return this.skip(step);
        const expected = m.force(target);
        const what = `force ${this.label(target.id)}`;
        this.log(`${what} -> ${expected ?? "forced"}`);
        bump(`force ${expected ?? "ok"}`);
        const send = forceExecution(db(), { executionId: target.id, orgId: target.orgId, actor: "model-test", reason: "model" });
        if (expected) expect(await errorCode(send), what).toBe(expected);
        else expect((await send).state, what).toBe("QUEUED");
        break;
      }
      case "due": {
        const target = choose(m.all().filter((e) => e.waiting), step.pick);
        if (!target) return this.skip(step);
        await db().query("UPDATE execution SET start_after = now() - interval '1 second' WHERE id = $1", [target.id]);
        target.due = true;
        this.log(`start of ${this.label(target.id)} comes due`);
        bump("scheduled executions coming due");
        break;
      }
      case "sweep": {
        const expired = m.expireLeases();
        const promoted = m.promoteDue();
        const pauses = m.wakeDuePauses();
        this.log(`sweep -> expired [${expired.map((id) => this.label(id)).join(", ")}], promoted [${promoted.map((id) => this.label(id)).join(", ")}], pauses [${pauses.map((id) => this.label(id)).join(", ")}]`);
        bump("scheduled executions moved into their lanes by a sweep", promoted.length);
        bump("pauses acted on by a sweep", pauses.length);
        expect(await sweepOnce(db()), "sweep").toEqual({ expired: expired.length, promoted: promoted.length, pauses: pauses.length });
        break;
      }
      case "config": {
        countsMayRise = await this.applyConfig(step.change);
        break;
      }
    }
    await this.check(claimed, countsMayRise);
  }

  /** A submission (or what a rerun submits: `send`) against the model's prediction. */
  private async submit(request: SubmitRequest, what: string, send = () => submitExecution(db(), request)): Promise<void> {
    const expected = this.model.predictSubmit(request);
    if (expected.outcome === "error") {
      this.log(`${what} -> refused ${expected.code}`);
      bump(`submit refused ${expected.code}`);
      expect(await errorCode(send()), what).toBe(expected.code);
      return;
    }
    const result = await send();
    if (expected.outcome === "existing") {
      if (expected.by === "debounce") this.model.pushDebounced(expected.id, request);
      this.log(`${what} -> ${this.label(expected.id)} again (${expected.by})`);
      bump(`submit folded into an existing execution by its ${expected.by}`);
      expect({ id: this.label(result.id), by: result.deduplicatedBy }, what).toEqual({ id: this.label(expected.id), by: expected.by });
      return;
    }
    expect(result.deduplicatedBy, what).toBeNull();
    const e = this.model.insert(request, result.id, expected);
    this.labels.set(result.id, `e${e.seq}`);
    this.log(`${what} -> e${e.seq} ${result.state}`);
    bump(`submit ${e.kind}${e.depth > 0 ? ` depth ${e.depth}` : ""} -> ${result.state}${e.waiting ? " (scheduled)" : ""}`);
    bump("submit with concurrency keys", e.keys.length > 0 ? 1 : 0);
    expect({ state: result.state, reason: result.reason }, what).toEqual({ state: expected.state, reason: expected.reason });
  }

  private skip(step: Step): void {
    this.log(`(${step.t}: nothing to act on)`);
  }

  /** Applies a config edit to both; returns true when it may raise in-flight counts. */
  private async applyConfig(c: ConfigChange): Promise<boolean> {
    const cfg = this.model.config;
    this.log(`config ${JSON.stringify(c)}`);
    bump(`config ${c.what}${c.what === "setting" ? ` ${c.name}` : ""}`);
    switch (c.what) {
      case "weight": {
        const org = this.world.orgs[c.org]!;
        await db().query("UPDATE organization SET weight = $2 WHERE id = $1", [org.id, c.value]);
        cfg.orgs.get(org.id)!.weight = c.value;
        return false;
      }
      case "orgMax": {
        const org = this.world.orgs[c.org]!;
        await db().query("UPDATE organization SET max_concurrency = $2 WHERE id = $1", [org.id, c.value]);
        cfg.orgs.get(org.id)!.maxConcurrency = c.value;
        return false;
      }
      case "setting": {
        const org = this.world.orgs[c.org]!;
        await updateParallelSettings(db(), org.id, { [c.name]: c.value }, "model-test");
        const settings = cfg.orgs.get(org.id)!.settings;
        const lowered = c.name === "max_paused_slots" && c.value < settings.max_paused_slots;
        settings[c.name] = c.value;
        this.model.rebalancePausedSlots();
        // Fewer paused slots: paused executions beyond the new number take their slot back.
        return lowered;
      }
      case "projectMax": {
        const projectId = this.world.orgs[c.org]!.projects[c.project as 0 | 1];
        await db().query("UPDATE project SET max_concurrent_jobs = $2 WHERE id = $1", [projectId, c.value]);
        cfg.projects.get(projectId)!.maxConcurrentJobs = c.value;
        return false;
      }
      case "poolLimit": {
        const poolId = this.world.orgs[c.org]!.pool;
        await db().query(`UPDATE concurrency_pool SET "limit" = $2 WHERE id = $1`, [poolId, c.value]);
        cfg.pools.get(poolId)!.limit = c.value;
        return false;
      }
      case "flowLimit": {
        const flowId = this.world.orgs[c.org]!.flows[c.project as 0 | 1][c.flow]!;
        await db().query("UPDATE flow SET concurrency_limit = $2 WHERE id = $1", [flowId, c.value]);
        cfg.flows.get(flowId)!.limit = c.value;
        return false;
      }
      case "queue": {
        const queueId = this.world.orgs[c.org]!.queues[c.queue];
        await db().query("UPDATE queue SET priority = $2, concurrency = $3 WHERE id = $1", [queueId, c.priority, c.concurrency]);
        Object.assign(cfg.queues.get(queueId)!, { priority: c.priority, concurrency: c.concurrency });
        return false;
      }
      case "platform": {
        await db().query("UPDATE platform_settings SET global_capacity = $1, default_project_concurrency = $2", [c.globalCapacity, c.defaultProjectConcurrency]);
        cfg.globalCapacity = c.globalCapacity;
        cfg.defaultProjectConcurrency = c.defaultProjectConcurrency;
        return false;
      }
      case "keyLimit": {
        const ruleId = this.world.orgs[c.org]!.rules[0]!;
        // The per-customer rule limits concurrency only: null would leave it limiting nothing.
        const value = c.value ?? 4;
        await db().query(`UPDATE concurrency_key_rule SET "limit" = $2 WHERE id = $1`, [ruleId, value]);
        cfg.keyRules.get(ruleId)!.limit = value;
        return false;
      }
      case "override": {
        const ruleId = this.world.orgs[c.org]!.rules[0]!;
        if (c.value === null) await db().query("DELETE FROM concurrency_key_override WHERE rule_id = $1 AND key_value = $2", [ruleId, c.key]);
        else {
          await db().query(
            `INSERT INTO concurrency_key_override (rule_id, key_value, "limit") VALUES ($1, $2, $3) ON CONFLICT (rule_id, key_value) DO UPDATE SET "limit" = EXCLUDED."limit"`,
            [ruleId, c.key, c.value],
          );
        }
        const overrides = cfg.keyRules.get(ruleId)!.overrides;
        if (c.value === null) overrides.delete(c.key);
        else overrides.set(c.key, c.value);
        return false;
      }
      case "rate": {
        const rate = { limit: c.value, periodMs: WINDOW_MS };
        const [orgs, org0, org2] = [this.world.orgs, this.world.orgs[0]!, this.world.orgs[2]!];
        if (c.target === "org1") {
          await db().query("UPDATE organization SET rate_limit = $2 WHERE id = $1", [orgs[1]!.id, c.value]);
          cfg.orgs.get(orgs[1]!.id)!.rate = rate;
        } else if (c.target === "urgent0") {
          await db().query("UPDATE queue SET rate_limit = $2 WHERE id = $1", [org0.queues.urgent, c.value]);
          cfg.queues.get(org0.queues.urgent)!.rate = rate;
        } else if (c.target === "flow2") {
          await db().query("UPDATE flow SET rate_limit = $2 WHERE id = $1", [org2.flows[0][0], c.value]);
          cfg.flows.get(org2.flows[0][0]!)!.rate = rate;
        } else {
          await db().query("UPDATE concurrency_key_rule SET rate_limit = $2 WHERE id = $1", [org2.rules[1], c.value]);
          cfg.keyRules.get(org2.rules[1]!)!.rate = rate;
        }
        return false;
      }
      case "orgMaxQueued": {
        const org = this.world.orgs[c.org]!;
        await db().query("UPDATE organization SET max_queued = $2 WHERE id = $1", [org.id, c.value]);
        cfg.orgs.get(org.id)!.maxQueued = c.value;
        return false;
      }
      case "flowMaxQueued": {
        const flowId = this.world.orgs[c.org]!.flows[0][0]!;
        await db().query("UPDATE flow SET max_queued = $2 WHERE id = $1", [flowId, c.value]);
        cfg.flows.get(flowId)!.maxQueued = c.value;
        return false;
      }
      case "defaultMaxQueued": {
        await db().query("UPDATE platform_settings SET default_max_queued = $1", [c.value]);
        cfg.defaultMaxQueued = c.value;
        return false;
      }
    }
  }

  /**
   * Starts per rate window, from the history alone: every QUEUED → RUNNING that does not
   * continue a resume, counted in the rate scopes of its execution (windows outlast a run, and
   * which entities have a rate never changes in it).
   */
  private async startsPerRateScope(): Promise<Counts> {
    const { rows } = await db().query<{ execution_id: string; n: number }>(
      `SELECT execution_id, count(*)::int AS n FROM (
         SELECT execution_id, from_state, to_state, lag(from_state) OVER w AS prev_from, lag(to_state) OVER w AS prev_to
           FROM execution_transition WINDOW w AS (PARTITION BY execution_id ORDER BY id)) t
        WHERE from_state = 'QUEUED' AND to_state = 'RUNNING' AND NOT (coalesce(prev_from::text, '') = 'PAUSED' AND prev_to = 'QUEUED')
        GROUP BY execution_id`,
    );
    const starts: Counts = new Map();
    for (const r of rows) {
      const e = this.model.get(r.execution_id);
      if (e) addTo(starts, this.model.capsOf(e).filter((c) => c.periodMs !== undefined).map((c) => c.scope), r.n);
    }
    return starts;
  }

  /** The invariants, checked against the database after every step. */
  async check(claimed: readonly ModelExecution[], countsMayRise: boolean): Promise<void> {
    const m = this.model;
    const { rows } = await db().query<DbRow>(
      `SELECT e.id, e.seq, e.state, e.holds_slot, e.resume_first, e.attempts, e.lease_token, e.lease_worker_id, e.reason, e.lane_id,
              e.org_id, e.project_id, p.pool_id, e.flow_id, e.queue_id, e.kind, e.depth, e.parent_id, e.root_id,
              e.key_rule_ids, e.key_values, e.waiting_lane_id
         FROM execution e JOIN project p ON p.id = e.project_id ORDER BY e.seq`,
    );
    const lanes = await db().query<{ id: number; key: string; queued: number }>("SELECT id, key, queued FROM dispatch_lane");

    // 3. Nothing lost: the same executions (in submission order), each in the same state.
    expect(rows.map((r) => this.label(r.id)), "executions in the database").toEqual(m.all().map((e) => this.label(e.id)));
    for (const id of m.deleted) expect(rows.some((r) => r.id === id), `deleted ${this.label(id)} is gone`).toBe(false);
    const dbView = rows.map((r) => ({
      id: this.label(r.id), state: r.state, holdsSlot: r.holds_slot, resumeFirst: r.resume_first, attempts: r.attempts,
      leaseToken: r.lease_token, leaseWorker: this.wl(r.lease_worker_id), reason: r.reason,
      keys: r.key_rule_ids.map((ruleId, i) => `${ruleId}=${r.key_values[i]}`), scheduled: r.waiting_lane_id !== null,
    }));
    const modelView = m.all().map((e) => ({
      id: this.label(e.id), state: e.state, holdsSlot: e.holdsSlot, resumeFirst: e.resumeFirst, attempts: e.attempts,
      leaseToken: e.leaseToken, leaseWorker: this.wl(e.leaseWorker), reason: e.reason,
      keys: e.keys.map((k) => `${k.ruleId}=${k.value}`), scheduled: e.waiting,
    }));
    expect(dbView, "execution rows vs model").toEqual(modelView);

    // 2. In-flight per scope and queued per lane equal the model's; reconcile finds nothing.
    const counts: Counts = new Map();
    for (const r of rows) {
      if (!r.holds_slot) continue;
      addTo(counts, scopesOf({
        orgId: r.org_id, projectId: r.project_id, poolId: r.pool_id, flowId: r.flow_id, queueId: r.queue_id, kind: r.kind,
        depth: r.depth, parentId: r.parent_id, rootId: r.root_id, keys: r.key_rule_ids.map((ruleId, i) => ({ ruleId, value: r.key_values[i]! })),
      }));
    }
    const nonZero = (c: Counts) => Object.fromEntries([...c].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));
    const modelInFlight = new Map([...m.counts()].filter(([scope]) => !scope.startsWith("rate:")));
    expect(nonZero(counts), "in-flight per scope vs model").toEqual(nonZero(modelInFlight));
    // 5. Rate windows: what was charged equals the model's; replayed from the history, no claim
    // took a window past its limit.
    const charged = await db().query<{ scope: string; n: number }>(`SELECT scope, sum(n)::int AS n FROM ${CHARGED_STARTS} s GROUP BY scope`);
    expect(Object.fromEntries(charged.rows.map((r) => [r.scope, r.n]).sort()), "starts per rate window vs model").toEqual(nonZero(m.rateStarts));
    const historyStarts = await this.startsPerRateScope();
    for (const e of claimed.filter((x) => !m.lastForced.has(x.id))) { // forced starts ignore rates too
      for (const cap of m.capsOf(e).filter((c) => c.periodMs !== undefined)) {
        const n = countOf(historyStarts, cap.scope);
        expect(n, `${this.label(e.id)} started past ${cap.code} (${cap.scope}, ${cap.limit} per window)`).toBeLessThanOrEqual(Math.max(cap.limit, countOf(this.previousStarts, cap.scope)));
      }
    }
    this.previousStarts = historyStarts;

    const laneById = new Map(lanes.rows.map((l) => [l.id, l]));
    const dbQueued = Object.fromEntries(lanes.rows.filter((l) => l.queued !== 0).map((l) => [l.key, l.queued]));
    expect(dbQueued, "queued per lane vs model").toEqual(Object.fromEntries(m.queuedByLane()));
    for (const r of rows) {
      if (r.state !== "QUEUED") continue;
      // A scheduled one waits outside the lane it will join.
      expect(laneById.get((r.lane_id ?? r.waiting_lane_id)!)?.key, `lane of queued ${this.label(r.id)}`).toBe(m.laneKeyOf(m.get(r.id)!));
    }
    expect(await reconcile(db(), { repair: false }, OPTIONS), "reconcile").toEqual({ laneDrift: [], pausedSlotMismatches: [] });

    // 1. Caps: a claim raised a count only while it was below every cap that applies (forced
    // executions aside: they start ignoring caps, docs/lifecycle.md).
    for (const e of claimed.filter((x) => !m.lastForced.has(x.id))) {
      for (const cap of m.capsOf(e)) {
        expect(countOf(counts, cap.scope), `${this.label(e.id)} dispatched past cap ${cap.code} (${cap.scope}, limit ${cap.limit})`).toBeLessThanOrEqual(cap.limit);
      }
    }
    // Only the claimed executions' scopes may rise (and nothing at all outside a claim).
    if (!countsMayRise) {
      const raised = new Set(claimed.flatMap((e) => scopesOf(m.placementOf(e))));
      for (const [scope, n] of counts) {
        if (raised.has(scope)) continue;
        expect(n, `in-flight of ${scope} rose without a dispatch into it`).toBeLessThanOrEqual(countOf(this.previousCounts, scope));
      }
    }
    this.previousCounts = counts;
  }
}

// ------------------------------------------------------------------------------- the property

const submitDefaults = {
  t: "submit" as const, parent: 0, queue: null, priority: 0, concurrency: null, trigger: false, omitFlow: false, maxAttempts: 1, copies: 1,
  ckey: "k1", customer: "c1", dkey: "d1", delayed: false, idem: null,
};
const claimDefaults = { t: "claim" as const, worker: 0, queue: null, org: null, completeFirst: null };

/**
 * Fixed sequences, run before the random ones.
 *
 * 0 and 1 were found by this test (then shrunk by hand) and fixed in sql/claim.ts
 * pickInRounds. org2 (weight 3) has one execution running in flow "queue-2" (limit 2) and two
 * queued in that flow in different lanes; org0 (weight 1) has three queued jobs. Fair order
 * for a claim of 3 is org0, org2, org0: org2's second lane is blocked by the flow limit it
 * shares with the first. The claim's water-level shortcut bounded each org2 lane by its own
 * room (1 + 1 slots), so it loaded only one head of org0's lane; the claim then handed out
 * two executions instead of three (0), or gave org0's slot to org1 (1).
 */
const REGRESSIONS: Step[][] = [
  [
    { ...submitDefaults, org: 2, project: 0, flow: 1, kind: "job", copies: 2 },
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job", copies: 3 },
    { ...claimDefaults, limit: 1 },
    { ...submitDefaults, org: 2, project: 0, flow: 1, kind: "child" },
    { ...claimDefaults, limit: 3 },
  ],
  // With a third org waiting: the slot org0 should get (it ties with org1 at ratio 1 and its
  // job is older) went to org1, whose heads were loaded in the next round.
  [
    { ...submitDefaults, org: 2, project: 0, flow: 1, kind: "job", copies: 2 },
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job", copies: 3 },
    { ...submitDefaults, org: 1, project: 0, flow: 0, kind: "job", copies: 2 },
    { ...claimDefaults, org: 1, limit: 2 },
    { ...claimDefaults, limit: 1 },
    { ...submitDefaults, org: 2, project: 0, flow: 1, kind: "child" },
    { ...submitDefaults, org: 1, project: 0, flow: 0, kind: "job" },
    { ...claimDefaults, limit: 3 },
  ],
  // Not a bug found, a scenario random runs reach rarely: a resumed execution that gave its
  // slot back goes ahead of newer, higher-priority work in its own lane (lane head order).
  [
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job" },
    { ...claimDefaults, limit: 1 },
    { t: "pause", pick: 0 },
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job", priority: 2 },
    { t: "resume", pick: 0, worker: 1 },
    { ...claimDefaults, limit: 1 },
  ],
  // Pauses owned by the platform: an approval timing out fails the execution and frees its
  // slot; a delay coming due resumes it, and a claim continues it in the slot it kept (if it
  // kept one), ahead of newer work; an admin's approval does the same.
  [
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job", copies: 3 },
    { ...claimDefaults, limit: 3 },
    { t: "pause", pick: 0, wait: "timeoutFail" },
    { t: "pause", pick: 0, wait: "delay" },
    { t: "pause", pick: 0, wait: "none" },
    { t: "pauseDue", pick: 0 },
    { t: "pauseDue", pick: 0 },
    { ...submitDefaults, org: 0, project: 0, flow: 0, kind: "job", priority: 2 },
    { t: "sweep" },
    { t: "resume", pick: 0, worker: 0, admin: true },
    { ...claimDefaults, limit: 3 },
  ],
];

describe("scheduler vs reference model", () => {
  it("agrees with the pure-policy model on every step of random operation sequences", async () => {
    let runs = 0;
    let steps = 0;
    let dispatched = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 10, maxLength: MAX_STEPS, size: "max" }), async (sequence) => {
        const run = new Run(await buildWorld());
        runs++;
        for (const [i, step] of sequence.entries()) {
          run.step = i + 1;
          try {
            await run.apply(step);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`step ${i + 1} failed: ${message}\n--- trace ---\n${run.trace.join("\n")}`, { cause: error });
          }
          steps++;
        }
        dispatched += run.model.all().filter((e) => e.attempts > 0).length;
      }),
      {
        examples: (process.env.MODEL_EXAMPLE === undefined ? REGRESSIONS : REGRESSIONS.filter((_, i) => String(i) === process.env.MODEL_EXAMPLE)).map((steps) => [steps] as [Step[]]),
        seed: SEED,
        numRuns: RUNS,
        ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
      },
    );
    // The sequences must actually exercise dispatch, or agreement would prove little.
    expect(runs).toBeGreaterThan(0);
    console.log(`model test: ${runs} runs, ${steps} steps, seed ${SEED}\n${[...coverage].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`).join("\n")}`);
    if (!process.env.MODEL_PATH) expect(dispatched).toBeGreaterThan(RUNS);
    expect(steps).toBeGreaterThan(0);
  }, 600_000);
});
