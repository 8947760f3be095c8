import path from "node:path";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "../tooling/db/embedded";

// Shared by the benchmarks: a PostgreSQL with durability ON (fsync, synchronous commit),
// because commit latency is what dispatch throughput is made of. DATABASE_URL's server is
// used when set; otherwise a dedicated embedded cluster in .slotwise/bench-pgdata.

export interface BenchServer {
  databaseUrl(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function benchServer(): Promise<BenchServer> {
  let serverUrl: string;
  let stop = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    serverUrl = url.toString();
  } else {
    const server = await startEmbeddedPostgres({ dataDir: path.resolve(".slotwise/bench-pgdata"), port: 54359 });
    serverUrl = server.serverUrl;
    stop = () => server.stop();
  }
  return {
    async databaseUrl(name) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
      await ensureDatabase(serverUrl, name);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop,
  };
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
