import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { benchServer } from "./harness";
import { drain } from "./drain";
import { createLane, insertOrg, insertRow, loadBacklog, type LaneSpec } from "./world";
/** 50 orgs of mixed weights with a cap at every level (none tighter than the worker concurrency in aggregate). */
async function mixedWorld(db: pg.Pool, total: number): Promise<void> {
  await db.query("UPDATE platform_settings SET global_capacity = 500, default_project_concurrency = 8");
  const weights = [1, 2, 3, 5, 8];
  const lanes: { id: number; spec: LaneSpec }[] = [];
  for (let i = 0; i < 50; i++) {
    const orgId = await insertOrg(db, `org-${i}`, { weight: weights[i % weights.length]!, maxConcurrency: 8, jobs: 6, accessRequests: 2, workflows: 4 });
    const pool = await insertRow(db, `INSERT INTO concurrency_pool (org_id, key, "limit") VALUES ($1, 'shared', 5)`, [orgId]);
    const pooled = await insertRow(db, "INSERT INTO project (org_id, name, pool_id, max_concurrent_jobs) VALUES ($1, 'pooled', $2, 4)", [orgId, pool]);
    const plain = await insertRow(db, "INSERT INTO project (org_id, name) VALUES ($1, 'default-limit')", [orgId]);
    const normal = await insertRow(db, "INSERT INTO queue (org_id, name, concurrency) VALUES ($1, 'default', 6)", [orgId]);
    const urgent = await insertRow(db, "INSERT INTO queue (org_id, name, priority, concurrency) VALUES ($1, 'urgent', 10, 2)", [orgId]);
    const flow = await insertRow(db, "INSERT INTO flow (org_id, project_id, name, concurrency_limit) VALUES ($1, $2, 'etl', 3)", [orgId, pooled]);
    const parent = await insertRow(
      db,
      "INSERT INTO execution (org_id, project_id, queue_id, kind, state, holds_slot, concurrency, lane_id) VALUES ($1, $2, $3, 'job', 'SUCCESS', false, 2, NULL)",
      [orgId, plain, normal],
    );
    const specs: LaneSpec[] = [
      { orgId, projectId: pooled, flowId: flow, queueId: normal, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: pooled, flowId: null, queueId: urgent, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: null, rootId: null, kind: "job", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: null, rootId: null, kind: "access_request", depth: 0 },
      { orgId, projectId: plain, flowId: null, queueId: normal, parentId: parent, rootId: parent, kind: "workflow", depth: 1 },
    ];
    for (const spec of specs) lanes.push({ id: await createLane(db, spec), spec });
  }
  const per = Math.floor(total / lanes.length);
  await loadBacklog(db, lanes, lanes.map((_, i) => per + (i < total - per * lanes.length ? 1 : 0)));
}


const server = await benchServer();
const url = await server.databaseUrl("bench_prof");
await migrate(url);
const db = new pg.Pool({ connectionString: url, max: 10 });
await mixedWorld(db, 6000);
const times = new Map<string, { n: number; ms: number }>();
const origConnect = db.connect.bind(db);
(db as any).connect = async (...a: any[]) => { if (a.length) return (origConnect as any)(...a);
  const c = await origConnect();
  if (!(c as any).__wrapped) {
    const q = c.query.bind(c);
    (c as any).query = async (...args: any[]) => {
      const key = typeof args[0] === "string" ? args[0].slice(0, 40) : (args[0].name ?? args[0].text.slice(0, 40));
      const t = performance.now();
      try { return await (q as any)(...args); } finally {
        const e = times.get(key) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; times.set(key, e);
      }
    };
    (c as any).__wrapped = true;
  }
  return c;
};
const r = await drain(db, { concurrency: 10, target: 5000, loops: 1 });
console.log(r, (r.completed / r.seconds).toFixed(0), "/s");
let total = 0;
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms)) { total += v.ms; console.log(k.padEnd(42), v.n, (v.ms / v.n).toFixed(3), "ms avg", v.ms.toFixed(0)); }
console.log("sql total ms", total.toFixed(0), "wall ms", (r.seconds * 1000).toFixed(0));
await db.end();
await server.stop();
