import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type APIResponse, type PlaywrightWorkerArgs } from "@playwright/test";
import { storageFor } from "./helpers";

// Test data through the public API, as a script or a worker would make it: a signed-in
// admin's request context, and a worker that claims and heartbeats over HTTP with the token
// the e2e server minted (scripts/e2e-server.ts). Each test makes its own project, queue and
// flow, so its worker claims only its own executions whatever other tests left queued, and
// kills what it left live (the demo platform's global capacity is 20).
//
// These tests dispatch in Beta Inc, so Acme Corp keeps its "No concurrency data available"
// state for the tests of the tenant's card.

export const ORG = "Beta Inc";

type Playwright = PlaywrightWorkerArgs["playwright"];

/** A signed-in user's API client (stored sign-ins from auth.setup.ts), for test set-up and checks. */
export async function adminApi(playwright: Playwright, who = "platform-admin"): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageFor(who) });
}

export async function ok<T>(response: Promise<APIResponse>, status = 200): Promise<T> {
  const r = await response;
  expect(r.status(), await r.text()).toBe(status);
  return (await r.json()) as T;
}

/** An org's id by name (platform admins can list every org). */
export async function orgIdByName(playwright: Playwright, name: string): Promise<string> {
  const api = await adminApi(playwright);
  const orgs = await ok<{ organizationId: string; name: string }[]>(api.get("/api/fair-scheduler/orgs"));
  await api.dispose();
  return orgs.find((o) => o.name === name)!.organizationId;
}

export const DEMO_SLUGS = { "Acme Corp": "acme", "Beta Inc": "beta", "Gamma LLC": "gamma" } as const;
export type DemoOrg = keyof typeof DEMO_SLUGS;

/** The seeded orgs' ids, by name. */
export async function demoOrgs(admin: APIRequestContext): Promise<Record<DemoOrg, { id: string }>> {
  const orgs: { organizationId: string; name: string }[] = await (await admin.get("/api/fair-scheduler/orgs")).json();
  const byName = (name: DemoOrg) => ({ id: orgs.find((o) => o.name === name)!.organizationId });
  return { "Acme Corp": byName("Acme Corp"), "Beta Inc": byName("Beta Inc"), "Gamma LLC": byName("Gamma LLC") };
}

export interface Setup { orgId: string; projectId: string; projectName: string; flowId: string; flowName: string; queue: string }

/** A fresh project (on the platform default), queue and flow with the given limit. */
export async function flowWithQueue(api: APIRequestContext, orgId: string, options: { limit: number | null; behavior?: "QUEUE" | "CANCEL" | "FAIL" }): Promise<Setup> {
  const tag = Math.random().toString(36).slice(2, 8);
  const projectName = `e2e-project-${tag}`;
  const projectId = (await ok<{ id: string }>(api.post(`/api/orgs/${orgId}/projects`, { data: { name: projectName } }), 201)).id;
  const queue = `e2e-${tag}`;
  await ok(api.post(`/api/orgs/${orgId}/queues`, { data: { name: queue } }), 201);
  const flow = await ok<{ id: string; name: string }>(
    api.post(`/api/orgs/${orgId}/flows`, { data: { name: `e2e-flow-${tag}`, projectId, concurrency: { limit: options.limit, behavior: options.behavior ?? "QUEUE" } } }),
    201,
  );
  return { orgId, projectId, projectName, flowId: flow.id, flowName: flow.name, queue };
}

export async function submit(api: APIRequestContext, s: Setup, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = await ok<{ id: string }>(api.post("/api/executions", { data: { orgId: s.orgId, projectId: s.projectId, flowId: s.flowId, queue: s.queue, payload: { sleepMs: 60_000 } } }), 201);
    ids.push(e.id);
  }
  return ids;
}

/** Ends what a test left live, so the next test starts with free capacity. */
export async function killAll(api: APIRequestContext, ids: readonly string[]): Promise<void> {
  for (const id of ids) await ok(api.post(`/api/executions/${id}/kill`));
}

/** A worker over HTTP: register, claim, heartbeat — what lib/reference-worker/reference-worker.ts does, step by step. */
export class TestWorker {
  private leases = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private constructor(private readonly api: APIRequestContext, readonly id: string, private readonly queue: string) {}

  static async start(playwright: Playwright, queue: string, concurrency?: number): Promise<TestWorker> {
    const token = readFileSync("e2e/.auth/worker-token", "utf8").trim();
    const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const reg = await ok<{ workerId: string }>(api.post("/api/workers/register", { data: { name: `worker-${queue}`, queues: [queue], ...(concurrency ? { concurrency } : {}) } }), 201);
    return new TestWorker(api, reg.workerId, queue);
  }

  /** Claims up to `limit` executions of its queue; returns their ids. */
  async claim(limit: number): Promise<string[]> {
    const res = await ok<{ claimed: { id: string; leaseToken: number }[] }>(this.api.post("/api/workers/claim", { data: { workerId: this.id, limit, queues: [this.queue] } }));
    for (const c of res.claimed) this.leases.set(c.id, c.leaseToken);
    return res.claimed.map((c) => c.id);
  }

  /** Heartbeats what it holds; forgets executions the server says were killed or lost. */
  async heartbeat(only?: readonly string[]): Promise<void> {
    const leases = [...this.leases].filter(([id]) => !only || only.includes(id)).map(([executionId, leaseToken]) => ({ executionId, leaseToken }));
    if (leases.length === 0) return;
    const res = await ok<{ results: { executionId: string; ok: boolean }[] }>(this.api.post("/api/workers/heartbeat", { data: { workerId: this.id, leases } }));
    for (const r of res.results) if (!r.ok) this.leases.delete(r.executionId);
  }

  /** Pauses an execution it holds (it keeps or gives back its slot by max_paused_slots); `wait`: a delay or an approval (docs/lifecycle.md). */
  async pause(id: string, wait: { delayMs?: number; approval?: { timeoutMs?: number; onTimeout?: "fail" | "resume" } } = {}): Promise<void> {
    const leaseToken = this.leases.get(id);
    if (leaseToken === undefined) throw new Error(`this worker does not hold ${id}`);
    await ok(this.api.post("/api/workers/pause", { data: { workerId: this.id, executionId: id, leaseToken, ...wait } }));
    this.leases.delete(id);
  }

  /** Reports an outcome of an execution it holds. */
  async complete(id: string, status: "SUCCESS" | "FAILED", error?: string): Promise<void> {
    const leaseToken = this.leases.get(id);
    if (leaseToken === undefined) throw new Error(`this worker does not hold ${id}`);
    await ok(this.api.post("/api/workers/complete", { data: { workerId: this.id, outcomes: [{ executionId: id, leaseToken, status, ...(error ? { error } : {}) }] } }));
    this.leases.delete(id);
  }

  /** Keeps the given leases (or all) alive every few seconds, as a healthy worker does. */
  keepAlive(only?: readonly string[]): void {
    this.timer = setInterval(() => void this.heartbeat(only).catch(() => undefined), 3_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.api.dispose();
  }
}

/**
 * A flow with `limit`, `submitted` executions and `claimed` of them claimed by a fresh
 * worker (none is registered when nothing is claimed, so no live worker serves the queue):
 * the RUNNING and QUEUED ids in the order the flow's tab lists them (oldest first).
 * `done()` kills what is left and stops the worker.
 */
export async function flowScenario(playwright: Playwright, orgId: string, { limit = 2 as number | null, submitted = 4, claimed = 2 } = {}) {
  const api = await adminApi(playwright, "beta-admin");
  const setup = await flowWithQueue(api, orgId, { limit });
  const ids = await submit(api, setup, submitted);
  const worker = claimed > 0 ? await TestWorker.start(playwright, setup.queue) : null;
  const running = worker ? await worker.claim(claimed) : [];
  expect(running.sort()).toEqual(ids.slice(0, claimed).sort());
  return {
    api, setup, ids,
    get worker(): TestWorker {
      if (!worker) throw new Error("this scenario claimed nothing, so it has no worker");
      return worker;
    },
    running: ids.slice(0, claimed),
    queued: ids.slice(claimed),
    async done() {
      await worker?.stop();
      await killAll(api, ids);
      await api.dispose();
    },
  };
}
