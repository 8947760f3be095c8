import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { request as playwrightRequest, test, type APIResponse } from "@playwright/test";
import { DEMO_SLUGS, demoOrgs, type DemoOrg } from "./api";
import { storageFor } from "./helpers";

// Real work for the screens to show: a worker token minted with the operator CLI (as an
// operator would), and executions submitted, claimed and held through the HTTP API, with
// heartbeats so their leases do not expire while a test looks at them.

/** The database scripts/e2e-server.ts creates for this run (the same rule for its name and place). */
function e2eDatabaseUrl(): string {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = `/${name && name !== "postgres" ? `${name}_e2e` : "slotwise_e2e"}`;
    return url.toString();
  }
  return `postgresql://slotwise:slotwise@127.0.0.1:${process.env.E2E_PG_PORT ?? 54349}/slotwise_e2e`;
}

async function mintWorkerToken(orgSlug: string): Promise<string> {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/cli.ts", "token", "create", "--worker", "--org", orgSlug, "--name", `e2e-${orgSlug}-${Date.now()}`], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() },
  });
  const token = stdout.split("\n").find((line) => line.startsWith("sw_"));
  if (!token) throw new Error(`no token in the CLI's output: ${stdout}`);
  return token.trim();
}

async function ok(res: APIResponse, what: string) {
  if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
  return res.json();
}

interface Claimed {
  id: string;
  leaseToken: number;
}

export interface HeldExecutions {
  /** Reports the running ones finished (SUCCESS) and kills the queued ones: the org is idle again. */
  finish(): Promise<void>;
}

/**
 * Submits `running + queued` executions to the org's "web" project (as the platform admin)
 * and claims `running` of them with a worker of that org: those run and the rest wait, until
 * `finish()`.
 */
export async function runExecutions(orgName: DemoOrg, running: number, queued = 0): Promise<HeldExecutions> {
  const baseURL = test.info().project.use.baseURL;
  const admin = await playwrightRequest.newContext({ baseURL, storageState: storageFor("platform-admin") });
  const org = (await demoOrgs(admin))[orgName];
  const projects: { id: string; name: string }[] = await ok(await admin.get(`/api/orgs/${org.id}/projects`), "projects");
  const projectId = projects.find((p) => p.name === "web")!.id;
  const submitted: string[] = [];
  for (let i = 0; i < running + queued; i++) {
    submitted.push((await ok(await admin.post("/api/executions", { data: { orgId: org.id, projectId, payload: { sleepMs: 600_000 } } }), "submit")).id);
  }
  const worker = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${await mintWorkerToken(DEMO_SLUGS[orgName])}` } });
  const { workerId } = await ok(await worker.post("/api/workers/register", { data: { name: "e2e", queues: ["default"] } }), "register");
  const { claimed }: { claimed: Claimed[] } = await ok(await worker.post("/api/workers/claim", { data: { workerId, limit: running } }), "claim");
  if (claimed.length !== running) throw new Error(`claimed ${claimed.length} of ${running}`);
  const leases = claimed.map((c) => ({ executionId: c.id, leaseToken: c.leaseToken }));
  const beat = setInterval(() => void worker.post("/api/workers/heartbeat", { data: { workerId, leases } }).catch(() => undefined), 5_000);
  const waiting = submitted.filter((id) => !claimed.some((c) => c.id === id));
  return {
    async finish() {
      clearInterval(beat);
      await worker.post("/api/workers/complete", { data: { workerId, outcomes: leases.map((l) => ({ ...l, status: "SUCCESS" })) } });
      await worker.dispose();
      for (const id of waiting) await admin.post(`/api/executions/${id}/kill`);
      await admin.dispose();
    },
  };
}
