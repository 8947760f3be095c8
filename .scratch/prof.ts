import { benchServer } from "../bench/harness";
import { freshDb, mixedWorld } from "../bench/world";
import { drain } from "../bench/drain";
import { endPool } from "../lib/db/end-pool";

const limits = process.env.LIMITS === "1";
const jobs = Number(process.env.JOBS ?? 20000);
const server = await benchServer();
try {
  const db = await freshDb(await server.databaseUrl(limits ? "prof_limited" : "prof_plain"));
  await mixedWorld(db, jobs, limits);
  // instrument query time
  let sqlMs = 0, n = 0;
  const orig = db.connect.bind(db);
  const t0 = performance.now();
  const r = await drain(db, { concurrency: 10, target: jobs });
  const total = performance.now() - t0;
  console.error(JSON.stringify({ limits, perS: Math.round(r.completed / r.seconds), totalMs: Math.round(total) }));
  await endPool(db);
} finally {
  await server.stop();
}
