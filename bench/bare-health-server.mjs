// bench:api's reference point: what GET /api/health does (one `SELECT 1`, a small JSON reply)
// on a bare node:http server, no framework. Run by startNextCluster in place of `next start`,
// in as many processes: the gap between it and the real route is the framework's own cost.
// Usage: node bench/bare-health-server.mjs <port>   (DATABASE_URL set)

import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
pool.on("error", () => undefined); // as the app's pool: an idle connection the server ended is replaced
http
  .createServer(async (_req, res) => {
    const started = performance.now();
    let status = 200;
    let body;
    try {
      await pool.query("SELECT 1");
      body = { status: "ok", database: { status: "ok", latencyMs: Math.round(performance.now() - started) } };
    } catch {
      status = 503;
      body = { status: "degraded", database: { status: "unreachable" } };
    }
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  })
  .listen(Number(process.argv[2]));
