/**
 * bench:api's reference point: what GET /api/health does (one `SELECT 1`, a small JSON reply)
 * on a bare node:http server, no framework. Run by startNextCluster in place of `next start`,
 * in as many processes: the gap between it and the real route is the framework's own cost.
 * Usage: node bench/bare-health-server.mjs <port>   (DATABASE_URL set)
 */
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
http
  .createServer(async (_req, res) => {
    const started = performance.now();
    await pool.query("SELECT 1");
    const body = JSON.stringify({ status: "ok", database: { status: "ok", latencyMs: Math.round(performance.now() - started) } });
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(body);
  })
  .listen(Number(process.argv[2]));
