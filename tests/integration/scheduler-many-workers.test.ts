import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { capsFor, type Cap } from "../../lib/scheduler/caps";
import { killExecution } from "../../lib/scheduler/kill-execution";
import { reconcile } from "../../lib/scheduler/reconcile";
import { addTo, countOf, scopesOf, type Counts } from "../../lib/scheduler/scopes";
import { capConfigOf, LANE_SELECT, envLimits, placementOf, type LaneRow } from "../../lib/scheduler/sql/dispatch-state";
import { submitInTx } from "../../lib/scheduler/submit-execution";
import { sweepOnce } from "../../lib/scheduler/sweeper";
import { withTransaction } from "../../lib/scheduler/sql/tx";
import { db } from "./helpers/fixtures";

/**
 * Several worker processes claim and complete thousands of executions at once while the test
 * kills executions and SIGKILLs a worker (its leases must expire and be reclaimed). Then the
 * transition history — not any counter — is replayed in commit order to prove no cap was
 * ever exceeded, nothing ran twice at once, and nothing was lost.
 */
const TOTAL = 3_000;
const LEASE_TTL_MS = 1_500;

async function world() {
  const q = (sql: string, params: unknown[] = []) => db().query<{ id: string }>(`${sql} RETURNING id`, params).then((r) => r.rows[0]!.id);
  await db().query("UPDATE platform_settings SET global_capacity = 12, default_project_concurrency = 4");
  const orgs = [];
  for (const [i, spec] of [{ w: 1, max: 5, paused: 1 }, { w: 2, max: 0, paused: 0 }, { w: 3, max: 6, paused: 2 }].entries()) {
    const org = await q("INSERT INTO organization (name, slug, weight, max_concurrency, jobs, workflows, access_requests, max_paused_slots) VALUES ($1, $1, $2, $3, 4, 3, 2, $4)", [`c-org-${i}`, spec.w, spec.max, spec.paused]);
    const pool = await q(`INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, 'shared', 4)`, [org]);
    const plain = await q("INSERT INTO project (org_id, name) VALUES ($1, 'plain')", [org]);
    const pooledA = await q("INSERT INTO project (org_id, name, pool_id, max_concurrent_jobs) VALUES ($1, 'pooled-a', $2, 3)", [org, pool]);
    const pooledB = await q("INSERT INTO project (org_id, name, pool_id) VALUES ($1, 'pooled-b', $2)", [org, pool]);
    await q("INSERT INTO queue (org_id, name) VALUES ($1, 'default')", [org]);
    await q("INSERT INTO queue (org_id, name, priority, concurrency) VALUES ($1, 'urgent', 5, 2)", [org]);
    const flow = await q("INSERT INTO flow (org_id, project_id, name, concurrency_limit) VALUES ($1, $2, 'etl', 3)", [org, pooledA]);
    orgs.push({ org, projects: [plain, pooledA, pooledB], flow });
  }
  return orgs;
}

async function submitAll(orgs: Awaited<ReturnType<typeof world>>, count: number, seed: number) {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const parents: { orgId: string; projectId: string; id: string }[] = [];
  for (let done = 0; done < count; ) {
    await withTransaction(db(), async (tx) => {
      for (let i = 0; i < 250 && done < count; i++, done++) {
        const o = orgs[Math.floor(random() * orgs.length)]!;
        const r = random();
        const parent = r < 0.15 && parents.length ? parents[Math.floor(random() * parents.length)]! : undefined;
        if (parent) {
          const res = await submitInTx(tx, { orgId: parent.orgId, projectId: parent.projectId, parentId: parent.id, queue: random() < 0.3 ? "urgent" : "default" }).catch(() => null);
          if (!res) done--;
          continue;
        }
        const projectId = r < 0.35 ? o.projects[1]! : o.projects[Math.floor(random() * 3)]!;
        const res = await submitInTx(tx, {
          orgId: o.org, projectId, flowId: projectId === o.projects[1] && random() < 0.5 ? o.flow : null,
          queue: random() < 0.2 ? "urgent" : "default", priority: Math.floor(random() * 3), accessRequest: random() < 0.1,
          concurrency: random() < 0.1 ? 2 : null, maxAttempts: 2,
        });
        if (random() < 0.1) parents.push({ orgId: o.org, projectId, id: res.id });
      }
    });
  }
}

function startWorker(seed: number): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "tests/integration/helpers/worker-process.ts", String(seed), "5"], {
    env: { ...process.env, LEASE_TTL_MS: String(LEASE_TTL_MS) },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

describe("many workers at once", () => {
  it("never exceed a cap, never run an execution twice at once, never lose one", async () => {
    const orgs = await world();
    await submitAll(orgs, TOTAL / 2, 11);
    const workers = [startWorker(1), startWorker(2), startWorker(3)];
    // More work arrives while workers run; kills and a crashed worker happen meanwhile.
    const submitting = submitAll(orgs, TOTAL / 2, 12);
    let stop = false;
    const chaos = (async () => {
      let round = 0;
      while (!stop) {
        await new Promise((r) => setTimeout(r, 100));
        round++;
        if (round % 3 === 0) {
          const { rows } = await db().query<{ id: string }>("SELECT id FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED') ORDER BY random() LIMIT 1");
          if (rows[0]) await killExecution(db(), { executionId: rows[0].id, actor: "chaos" });
        }
        await sweepOnce(db());
        if (round === 15) {
          workers[0]!.kill("SIGKILL");
          workers.push(startWorker(4));
        }
      }
    })();
    await submitting;
    const deadline = Date.now() + 150_000;
    for (;;) {
      const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution WHERE state IN ('QUEUED', 'RUNNING', 'PAUSED')");
      if (rows[0]!.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.n} executions still live`);
      await new Promise((r) => setTimeout(r, 250));
    }
    stop = true;
    await chaos;
    await Promise.all(workers.map(exited));

    // Nothing lost: every submitted execution ended exactly once.
    const totals = await db().query<{ n: number; terminal: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE state IN ('SUCCESS', 'FAILED', 'CANCELLED', 'KILLED'))::int AS terminal FROM execution",
    );
    expect(totals.rows[0]!.terminal).toBe(totals.rows[0]!.n);
    expect(totals.rows[0]!.n).toBeGreaterThanOrEqual(TOTAL * 0.9);
    const endings = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT execution_id FROM execution_transition
        WHERE to_state IN ('SUCCESS', 'FAILED', 'CANCELLED', 'KILLED') GROUP BY execution_id HAVING count(*) <> 1) x`,
    );
    expect(endings.rows[0]!.n).toBe(0);
    expect(await reconcile(db(), { repair: false })).toEqual({ laneDrift: [], pausedSlotMismatches: [] });
    expect((await db().query("SELECT 1 FROM execution WHERE holds_slot")).rowCount).toBe(0);

    // Replay the history in commit order (track_commit_timestamp is on in the test cluster;
    // claims are serialised by the dispatch lock, so their commit order is their decision
    // order). Each claim may only raise a scope's count while it is below that scope's cap.
    const lanes = await db().query<LaneRow>(`${LANE_SELECT}`);
    const capsByExecution = new Map<string, { scopes: string[]; caps: Cap[] }>();
    const laneCaps = new Map(lanes.rows.map((row) => [row.id, { scopes: scopesOf(placementOf(row)), caps: capsFor(placementOf(row), capConfigOf(row, envLimits())) }]));
    const laneOf = await db().query<{ id: string; lane_id: number }>("SELECT id, lane_id FROM execution WHERE lane_id IS NOT NULL");
    for (const r of laneOf.rows) capsByExecution.set(r.id, laneCaps.get(r.lane_id)!);
    const history = await db().query<{ execution_id: string; from_state: string | null; to_state: string; holds_slot: boolean }>(
      `SELECT execution_id, from_state, to_state, holds_slot FROM execution_transition
        ORDER BY pg_xact_commit_timestamp(xmin), (to_state = 'RUNNING' AND from_state = 'QUEUED'), id`,
    );
    const counts: Counts = new Map();
    const holding = new Set<string>();
    let claims = 0;
    for (const t of history.rows) {
      const info = capsByExecution.get(t.execution_id);
      if (!info) continue; // recorded terminal at admission: never queued, never held a slot
      if (t.holds_slot && !holding.has(t.execution_id)) {
        expect(t.to_state === "RUNNING" ? t.from_state : "PAUSED").toMatch(/QUEUED|PAUSED/);
        holding.add(t.execution_id);
        addTo(counts, info.scopes);
        if (t.from_state === "QUEUED") {
          claims++;
          for (const cap of info.caps) expect(countOf(counts, cap.scope), `${cap.code} ${cap.scope}`).toBeLessThanOrEqual(cap.limit);
        }
      } else if (!t.holds_slot && holding.has(t.execution_id)) {
        holding.delete(t.execution_id);
        addTo(counts, info.scopes, -1);
      } else if (t.to_state === "RUNNING" && t.from_state === "QUEUED") {
        throw new Error(`execution ${t.execution_id} was claimed while it already held a slot`);
      }
    }
    expect(holding.size).toBe(0);
    expect(claims).toBeGreaterThan(TOTAL / 2);
  }, 240_000);
});
