import type { Db } from "../../lib/db/transaction";
import { submitExecution } from "../../lib/dispatch/submit";
import { isAppError } from "../../lib/core/errors";

// A living demo: submits a mix of work to the seeded orgs — plain jobs, nested pipelines,
// access requests, runs of the CANCEL / FAIL flows (which get refused at their limit), the
// nightly trigger firing while locked, tasks that pause and resume (max_paused_slots decides
// whether they keep their slot meanwhile) — so every screen has something real to show.

interface Target {
  orgId: string;
  projects: { id: string; name: string }[];
  flows: { id: string; name: string; projectId: string }[];
  triggers: { id: string; flowId: string }[];
}

async function targets(db: Db): Promise<Target[]> {
  const orgs = await db.query<{ id: string }>("SELECT id FROM organization ORDER BY name");
  const result: Target[] = [];
  for (const { id } of orgs.rows) {
    const projects = await db.query<{ id: string; name: string }>("SELECT id, name FROM project WHERE org_id = $1", [id]);
    const flows = await db.query<{ id: string; name: string; project_id: string }>("SELECT id, name, project_id FROM flow WHERE org_id = $1", [id]);
    const triggers = await db.query<{ id: string; flow_id: string }>("SELECT id, flow_id FROM trigger WHERE org_id = $1", [id]);
    result.push({ orgId: id, projects: projects.rows, flows: flows.rows.map((f) => ({ id: f.id, name: f.name, projectId: f.project_id })), triggers: triggers.rows.map((t) => ({ id: t.id, flowId: t.flow_id })) });
  }
  return result;
}

export async function submitDemoBurst(db: Db, all: Target[], random: () => number = Math.random): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const duration = () => 500 + Math.floor(random() * 6_000);
  const t = pick(all);
  if (t.projects.length === 0) return;
  const project = pick(t.projects);
  const r = random();
  const submit = (input: Parameters<typeof submitExecution>[1]) =>
    submitExecution(db, { submittedBy: "demo-workload", ...input }).catch((error) => {
      if (!isAppError(error)) throw error; // refused on purpose (trigger lock) — part of the demo
      return null;
    });
  if (r < 0.05) {
    // Long enough to outlive a lease on the flaky demo worker: stuck, then expired and retried.
    await submit({ orgId: t.orgId, projectId: project.id, payload: { sleepMs: 45_000 } });
  } else if (r < 0.4) {
    await submit({ orgId: t.orgId, projectId: project.id, priority: Math.floor(random() * 3), payload: { sleepMs: duration(), fail: random() < 0.1 } });
  } else if (r < 0.5) {
    // Paused long enough that an org often has several paused at once, some within its
    // max_paused_slots (slot given back) and some beyond (slot kept).
    const afterMs = 300 + Math.floor(random() * 1_500);
    await submit({ orgId: t.orgId, projectId: project.id, payload: { sleepMs: afterMs + duration(), pause: { afterMs, forMs: 3_000 + Math.floor(random() * 7_000) } } });
  } else if (r < 0.65 && t.flows.length) {
    const flow = pick(t.flows);
    await submit({ orgId: t.orgId, projectId: flow.projectId, flowId: flow.id, payload: { sleepMs: duration() } });
  } else if (r < 0.75) {
    const parent = await submit({ orgId: t.orgId, projectId: project.id, concurrency: 2, payload: { sleepMs: 8_000 } });
    if (parent) for (let i = 0; i < 3; i++) await submit({ orgId: t.orgId, projectId: project.id, parentId: parent.id, payload: { sleepMs: duration() } });
  } else if (r < 0.85) {
    await submit({ orgId: t.orgId, projectId: project.id, accessRequest: true, payload: { sleepMs: duration() } });
  } else if (r < 0.9 && t.triggers.length) {
    const trigger = pick(t.triggers);
    const flow = t.flows.find((f) => f.id === trigger.flowId);
    if (flow) await submit({ orgId: t.orgId, projectId: flow.projectId, triggerId: trigger.id, payload: { sleepMs: duration() } });
  } else {
    await submit({ orgId: t.orgId, projectId: project.id, queue: "urgent", payload: { sleepMs: duration() } });
  }
}

export interface WorkloadOptions {
  perSecond: number;
  /** No new submissions while this many executions are queued: the backlog stays bounded. */
  maxQueued: number;
  /** Seedable for tests; Math.random by default. */
  random?: () => number;
  onError?: (e: unknown) => void;
}

/**
 * Submits about `perSecond` bursts a second until the returned function is called; that
 * function resolves once the burst in progress (if any) has been submitted.
 */
export async function startDemoWorkload(db: Db, options: WorkloadOptions): Promise<() => Promise<void>> {
  const all = await targets(db);
  let stopped = false;
  let tick: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick = (async () => {
        try {
          const { rows } = await db.query<{ n: number }>("SELECT COALESCE(sum(queued), 0)::int AS n FROM dispatch_lane");
          if (rows[0]!.n < options.maxQueued) await submitDemoBurst(db, all, options.random);
        } catch (error) {
          options.onError?.(error);
        }
      })().then(next);
    }, Math.max(20, 1000 / options.perSecond));
  };
  next();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await tick;
  };
}
