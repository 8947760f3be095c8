import { benchServer } from "../bench/harness";
import { freshDb, mixedWorld } from "../bench/world";
import { drain } from "../bench/drain";
import { endPool } from "../lib/db/end-pool";

const jobs = Number(process.env.JOBS ?? 20000);
const server = await benchServer();
try {
  for (let r = 0; r < Number(process.env.RUNS ?? 1); r++) {
    const db = await freshDb(await server.databaseUrl("prof_plain"));
    await mixedWorld(db, jobs, process.env.LIMITS === "1");
    const t0 = performance.now();
    const res = await drain(db, { concurrency: 10, target: jobs });
    console.error(JSON.stringify({ perS: Math.round(res.completed / res.seconds), totalMs: Math.round(performance.now() - t0) }));
    await endPool(db);
  }
} finally {
  await server.stop();
}
