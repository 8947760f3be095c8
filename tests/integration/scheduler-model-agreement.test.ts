import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimExecutions, completeExecutions } from "../../lib/scheduler/claim-executions";
import { killExecution } from "../../lib/scheduler/kill-execution";
import { pauseExecution, resumeExecution } from "../../lib/scheduler/pause-resume";
import { reconcile } from "../../lib/scheduler/reconcile";
import { submitExecution } from "../../lib/scheduler/submit-execution";
import { sweepOnce } from "../../lib/scheduler/sweeper";
import { updateParallelSettings } from "../../lib/settings/parallel-settings";
import { ReferenceModel, type ModelConfig, type State } from "./helpers/pure-model";
import { db, worker } from "./helpers/fixtures";

/**
 * Model-based test: random sequences of submit / claim / complete (incl. late duplicates) /
 * pause / resume / kill / lease expiry / config change run against the Postgres-backed
 * scheduler and against ReferenceModel (the pure policy over in-memory state). After every
 * step the two must agree on every execution's state and slot, every claim must hand out
 * exactly what the model's fair order picks, and reconcile must find no drift.
 */
const ENV = { jobs: 100, workflows: 100, access_requests: 100, max_paused_slots: 1000 };

interface World {
  orgs: string[];
  projects: string[][];
  pools: string[];
  flows: string[][];
  queueNames: string[];
  queueIds: string[][];
  workerId: string;
  model: ReferenceModel;
}

async function buildWorld(): Promise<World> {
  await db().query("TRUNCATE organization, execution, execution_transition, dispatch_lane, worker, audit_event CASCADE");
  await db().query("UPDATE platform_settings SET global_capacity = 8, default_project_concurrency = 3");
  const config: ModelConfig = { globalCapacity: 8, defaultProjectConcurrency: 3, orgs: {}, projects: {}, pools: {}, flows: {}, queues: {}, envLimits: ENV };
  const w: World = { orgs: [], projects: [], pools: [], flows: [], queueNames: ["default", "urgent"], queueIds: [], workerId: "", model: new ReferenceModel(config) };
  const orgSpecs = [
    { weight: 1, max: 4, paused: 1 },
    { weight: 2, max: 0, paused: 0 },
    { weight: 3, max: 3, paused: 2 },
  ];
  for (const [i, spec] of orgSpecs.entries()) {
    const q = (sql: string, params: unknown[]) => db().query<{ id: string }>(sql, params).then((r) => r.rows[0]!.id);
    const org = await q("INSERT INTO organization (name, slug, weight, max_concurrency, jobs, workflows, access_requests, max_paused_slots) VALUES ($1, $1, $2, $3, 3, 3, 2, $4) RETURNING id", [`org${i}`, spec.weight, spec.max, spec.paused]);
    config.orgs[org] = { weight: spec.weight, maxConcurrency: spec.max, settings: { jobs: 3, workflows: 3, access_requests: 2, max_paused_slots: spec.paused } };
    const pool = await q(`INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, 'shared', 2) RETURNING id`, [org]);
    config.pools[pool] = 2;
    const p0 = await q("INSERT INTO project (org_id, name) VALUES ($1, 'p0') RETURNING id", [org]);
    const p1 = await q("INSERT INTO project (org_id, name, max_concurrent_jobs, pool_id) VALUES ($1, 'p1', 2, $2) RETURNING id", [org, pool]);
    config.projects[p0] = { maxConcurrentJobs: null, poolId: null };
    config.projects[p1] = { maxConcurrentJobs: 2, poolId: pool };
    const q0 = await q("INSERT INTO queue (org_id, name) VALUES ($1, 'default') RETURNING id", [org]);
    const q1 = await q("INSERT INTO queue (org_id, name, priority, concurrency) VALUES ($1, 'urgent', 5, 1) RETURNING id", [org]);
    config.queues[q0] = { priority: 0, concurrency: 0 };
    config.queues[q1] = { priority: 5, concurrency: 1 };
    const f1 = await q("INSERT INTO flow (org_id, project_id, name, concurrency_limit) VALUES ($1, $2, 'f1', 2) RETURNING id", [org, p0]);
    const f2 = await q("INSERT INTO flow (org_id, project_id, name, concurrency_limit, concurrency_behavior) VALUES ($1, $2, 'f2', 1, 'CANCEL') RETURNING id", [org, p1]);
    config.flows[f1] = { limit: 2, behavior: "QUEUE" };
    config.flows[f2] = { limit: 1, behavior: "CANCEL" };
    w.orgs.push(org);
    w.pools.push(pool);
    w.projects.push([p0, p1]);
    w.flows.push([f1, f2]);
    w.queueIds.push([q0, q1]);
  }
  w.workerId = await worker();
  return w;
}

const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("submit" as const), org: fc.nat(2), project: fc.nat(1), flow: fc.nat(2), queue: fc.nat(1), priority: fc.nat(2), nest: fc.boolean(), parent: fc.nat(), concurrency: fc.nat(3), access: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("claim" as const), limit: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("complete" as const), pick: fc.nat(), ok: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("pause" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("resume" as const, "kill" as const, "expire" as const, "late" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("config" as const), what: fc.constantFrom("orgMax", "weight", "project", "pool", "flow", "queue", "global", "paused"), org: fc.nat(2), value: fc.nat(4) }) },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

async function applyStep(w: World, s: Step, ids: string[], tokens: Map<string, number>) {
  const m = w.model;
  // Operations pick among the executions they can apply to (a late completion: any).
  const among = (states: State[]) => (n: number) => {
    const candidates = ids.filter((id) => states.includes(m.executions.get(id)!.state));
    return candidates.length ? candidates[n % candidates.length]! : undefined;
  };
  const pick = (n: number) => (ids.length ? ids[n % ids.length]! : undefined);
  const pickRunning = among(["RUNNING"]);
  switch (s.op) {
    case "submit": {
      const org = w.orgs[s.org]!;
      const live = m.live().filter((e) => e.placement.orgId === org && e.placement.depth < 2);
      const parent = s.nest && live.length ? live[s.parent % live.length]! : undefined;
      const projectId = parent ? parent.placement.projectId : w.projects[s.org]![s.project]!;
      const flowId = parent || s.flow === 0 ? null : w.flows[s.org]![s.flow - 1]!;
      // A flow belongs to one project: submit to the flow's project.
      const flowProject = flowId ? w.projects[s.org]![s.flow - 1]! : projectId;
      const kind = s.access && !parent ? "access_request" : parent ? "workflow" : "job";
      const concurrency = s.concurrency === 0 ? null : s.concurrency;
      const real = await submitExecution(db(), {
        orgId: org, projectId: flowProject, flowId, parentId: parent?.id ?? null, queue: w.queueNames[s.queue]!,
        priority: s.priority, concurrency, accessRequest: kind === "access_request", maxAttempts: 2,
      });
      const rootId = parent ? (parent.placement.rootId ?? parent.id) : null;
      const state = m.submit(real.id, {
        orgId: org, projectId: flowProject, flowId, queueId: w.queueIds[s.org]![s.queue]!, kind,
        depth: parent ? parent.placement.depth + 1 : 0, parentId: parent?.id ?? null, rootId,
      }, { priority: s.priority, concurrency, maxAttempts: 2 });
      expect(real.state).toBe(state);
      ids.push(real.id);
      return;
    }
    case "claim": {
      const { claimed } = await claimExecutions(db(), { workerId: w.workerId, limit: s.limit }, { envLimits: ENV });
      for (const c of claimed) tokens.set(c.id, c.leaseToken);
      expect(claimed.map((c) => c.id)).toEqual(m.claim(s.limit));
      return;
    }
    case "complete":
    case "late": {
      const id = s.op === "late" ? pick(s.pick) : pickRunning(s.pick);
      if (!id) return;
      const running = m.executions.get(id)!.state === "RUNNING";
      // "late": a stale token (a previous attempt's) must change nothing.
      const token = (tokens.get(id) ?? 0) - (s.op === "late" ? 1 : 0);
      const [result] = await completeExecutions(db(), w.workerId, [{ executionId: id, leaseToken: token, status: s.op === "late" || ("ok" in s && s.ok) ? "SUCCESS" : "FAILED" }]);
      const expectOk = running && s.op === "complete";
      expect(result!.ok).toBe(expectOk);
      if (expectOk) m.complete(id, "ok" in s && s.ok);
      return;
    }
    case "pause": {
      const id = pickRunning(s.pick);
      if (!id || m.executions.get(id)!.state !== "RUNNING") return;
      await pauseExecution(db(), { executionId: id, leaseToken: tokens.get(id)!, workerId: w.workerId }, { envLimits: ENV });
      m.pause(id);
      return;
    }
    case "resume": {
      const id = among(["PAUSED"])(s.pick);
      if (!id || m.executions.get(id)!.state !== "PAUSED") return;
      const real = await resumeExecution(db(), { executionId: id, workerId: w.workerId }, { envLimits: ENV });
      if (real.state === "RUNNING") tokens.set(id, real.leaseToken);
      expect(real.state).toBe(m.resume(id));
      return;
    }
    case "kill": {
      const id = among(["QUEUED", "RUNNING", "PAUSED"])(s.pick);
      if (!id || !["QUEUED", "RUNNING", "PAUSED"].includes(m.executions.get(id)!.state)) return;
      await killExecution(db(), { executionId: id, actor: "model" }, { envLimits: ENV });
      m.kill(id);
      return;
    }
    case "expire": {
      const id = pickRunning(s.pick);
      if (!id || m.executions.get(id)!.state !== "RUNNING") return;
      await db().query("UPDATE execution SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [id]);
      await sweepOnce(db());
      m.expire(id);
      return;
    }
    case "config": {
      const org = w.orgs[s.org]!;
      const c = m.config;
      if (s.what === "orgMax") {
        await db().query("UPDATE organization SET max_concurrency = $2 WHERE id = $1", [org, s.value]);
        c.orgs[org]!.maxConcurrency = s.value;
      } else if (s.what === "weight") {
        await db().query("UPDATE organization SET weight = $2 WHERE id = $1", [org, s.value + 1]);
        c.orgs[org]!.weight = s.value + 1;
      } else if (s.what === "project") {
        const value = s.value === 0 ? null : s.value;
        await db().query("UPDATE project SET max_concurrent_jobs = $2 WHERE id = $1", [w.projects[s.org]![1], value]);
        c.projects[w.projects[s.org]![1]!]!.maxConcurrentJobs = value;
      } else if (s.what === "pool") {
        await db().query(`UPDATE concurrency_pool SET "limit" = $2 WHERE id = $1`, [w.pools[s.org], s.value + 1]);
        c.pools[w.pools[s.org]!] = s.value + 1;
      } else if (s.what === "flow") {
        const value = s.value === 0 ? null : s.value;
        await db().query("UPDATE flow SET concurrency_limit = $2 WHERE id = $1", [w.flows[s.org]![0], value]);
        c.flows[w.flows[s.org]![0]!]!.limit = value;
      } else if (s.what === "queue") {
        await db().query("UPDATE queue SET concurrency = $2, priority = $3 WHERE id = $1", [w.queueIds[s.org]![1], s.value, s.value * 3 - 4]);
        c.queues[w.queueIds[s.org]![1]!] = { concurrency: s.value, priority: s.value * 3 - 4 };
      } else if (s.what === "global") {
        await db().query("UPDATE platform_settings SET global_capacity = $1", [s.value * 2]);
        c.globalCapacity = s.value * 2;
      } else {
        await updateParallelSettings(db(), org, { max_paused_slots: s.value }, "model");
        c.orgs[org]!.settings.max_paused_slots = s.value;
        m.rebalance(org);
      }
      return;
    }
  }
}

async function expectAgreement(w: World, context: string) {
  const { rows } = await db().query<{ id: string; state: State; holds_slot: boolean; resume_first: boolean }>("SELECT id, state, holds_slot, resume_first FROM execution");
  const real = new Map(rows.map((r) => [r.id, r]));
  expect(real.size, context).toBe(w.model.executions.size);
  for (const e of w.model.executions.values()) {
    expect(real.get(e.id), `${context}: ${e.id}`).toEqual({ id: e.id, state: e.state, holds_slot: e.holdsSlot, resume_first: e.resumeFirst });
  }
  expect(await reconcile(db(), { repair: false }, { envLimits: ENV }), context).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
}

describe("the Postgres scheduler agrees with the reference model", () => {
  it("over random operation sequences", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), async (steps) => {
        const w = await buildWorld();
        const ids: string[] = [];
        const tokens = new Map<string, number>();
        for (const [i, s] of steps.entries()) {
          await applyStep(w, s, ids, tokens);
          await expectAgreement(w, `after step ${i} ${JSON.stringify(s)}`);
        }
      }),
      { numRuns: 40, seed: 1125, endOnFailure: true },
    );
  }, 240_000);
});
