import type pg from "pg";
import { endPool } from "../lib/db/end-pool";
import type { BenchServer } from "./harness";
import { log, round } from "./harness";
import { drain } from "./drain";
import { createLane, insertOrg, insertRow, loadBacklog, type LaneSpec } from "./world";

// Limits and admission v2 in bench:dispatch (docs/limits.md): what concurrency keys and rate
// limits cost dispatch, side by side in one run.
//  (a) one org with 10,000 keys (a lane each) vs 100 orgs with one lane each, the same backlog;
//  (b) the mixed world with a rate limit and a key rule on every org vs the same world without.

const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const PER_KEY = 5;

interface Deps {
  freshDb(url: string): Promise<pg.Pool>;
  dispatchRate(db: pg.Pool): Promise<number>;
  median(values: readonly number[]): number;
  runs: number;
}

/** One org, an org-wide key rule (2 per key), KEYS keys with PER_KEY queued each. */
async function manyKeys(db: pg.Pool): Promise<void> {
  const orgId = await insertOrg(db, "keys", { weight: 1, jobs: 100_000 });
  const projectId = await insertRow(db, "INSERT INTO project (org_id, name) VALUES ($1, 'p')", [orgId]);
  const queueId = await insertRow(db, "INSERT INTO queue (org_id, name) VALUES ($1, 'default')", [orgId]);
  const ruleId = await insertRow(db, `INSERT INTO concurrency_key_rule (org_id, name, source, path, "limit") VALUES ($1, 'per-customer', 'payload', '/customer', 2)`, [orgId]);
  const lanes: { id: number; spec: LaneSpec }[] = [];
  for (let k = 0; k < KEYS; k++) {
    const spec: LaneSpec = { orgId, projectId, flowId: null, queueId, parentId: null, rootId: null, kind: "job", depth: 0, keys: [{ ruleId, value: `customer-${k}` }] };
    lanes.push({ id: await createLane(db, spec), spec });
  }
  await loadBacklog(db, lanes, lanes.map(() => PER_KEY));
}

/** 100 orgs with one lane each, the same backlog in all. */
async function manyOrgs(db: pg.Pool): Promise<void> {
  const lanes: { id: number; spec: LaneSpec }[] = [];
  for (let i = 0; i < 100; i++) {
    const orgId = await insertOrg(db, `org-${i}`, { weight: 1 + (i % 3), jobs: 100_000 });
    const projectId = await insertRow(db, "INSERT INTO project (org_id, name) VALUES ($1, 'p')", [orgId]);
    const queueId = await insertRow(db, "INSERT INTO queue (org_id, name) VALUES ($1, 'default')", [orgId]);
    const spec: LaneSpec = { orgId, projectId, flowId: null, queueId, parentId: null, rootId: null, kind: "job", depth: 0 };
    lanes.push({ id: await createLane(db, spec), spec });
  }
  await loadBacklog(db, lanes, lanes.map(() => (KEYS * PER_KEY) / 100));
}

export async function keysComparison(server: BenchServer, deps: Deps): Promise<Record<string, number>> {
  log(`Keys: dispatch rate, 1 org × ${KEYS.toLocaleString("en")} keys vs 100 orgs × 1 lane (${(KEYS * PER_KEY).toLocaleString("en")} queued in each) …`);
  const keysDb = await deps.freshDb(await server.databaseUrl("bench_keys"));
  await manyKeys(keysDb);
  const orgsDb = await deps.freshDb(await server.databaseUrl("bench_key_orgs"));
  await manyOrgs(orgsDb);
  const keys: number[] = [];
  const orgs: number[] = [];
  for (const db of [keysDb, orgsDb]) await deps.dispatchRate(db); // warm up (caches, plans)
  for (let i = 0; i < deps.runs; i++) {
    orgs.push(await deps.dispatchRate(orgsDb));
    keys.push(await deps.dispatchRate(keysDb));
  }
  await endPool(keysDb);
  await endPool(orgsDb);
  const ratio = deps.median(keys.map((k, i) => k / orgs[i]!));
  log(`  ${round(deps.median(keys), 0)}/s with ${KEYS.toLocaleString("en")} keys, ${round(deps.median(orgs), 0)}/s with 100 orgs (ratio ${round(ratio)})`);
  return { keys_per_s_10k_keys: round(deps.median(keys), 0), keys_per_s_100_orgs: round(deps.median(orgs), 0), keys_ratio_10k_vs_100_orgs: round(ratio) };
}

export async function limitsComparison(
  server: BenchServer,
  deps: Pick<Deps, "freshDb" | "runs"> & { mixedWorld(db: pg.Pool, total: number, limits: boolean): Promise<void>; jobs: number; concurrency: number },
): Promise<Record<string, number | number[]>> {
  log(`Limits: the mixed world with a rate limit and a key rule on every org vs without, ${deps.jobs} executions …`);
  const withLimits: number[] = [];
  const without: number[] = [];
  for (let r = 0; r < deps.runs; r++) {
    for (const limits of [false, true]) {
      const db = await deps.freshDb(await server.databaseUrl(limits ? "bench_limited" : "bench_unlimited"));
      await deps.mixedWorld(db, deps.jobs, limits);
      const { completed, seconds } = await drain(db, { concurrency: deps.concurrency, target: deps.jobs });
      await endPool(db);
      (limits ? withLimits : without).push(completed / seconds);
    }
  }
  const ratios = withLimits.map((w, i) => w / without[i]!).sort((a, b) => a - b);
  const ratio = ratios[Math.floor(ratios.length / 2)]!;
  log(`  with ${withLimits.map((v) => round(v, 0)).join(", ")}/s, without ${without.map((v) => round(v, 0)).join(", ")}/s (median ratio ${round(ratio)})`);
  return { limits_runs_per_s: withLimits.map((v) => round(v, 0)), no_limits_runs_per_s: without.map((v) => round(v, 0)), limits_ratio: round(ratio) };
}
