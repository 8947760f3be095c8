import path from "node:path";
import { env } from "../../lib/core/env";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";

export interface ProvidedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database the scripts run against: DATABASE_URL when set, otherwise the embedded
 * PostgreSQL in SLOTWISE_DATA_DIR (started here, or reused if already running).
 * Migrations are applied either way, so every command sees the current schema.
 */
export async function provideDatabase(log: (line: string) => void = () => undefined): Promise<ProvidedDatabase> {
  const config = env();
  let provided: ProvidedDatabase;
  if (config.DATABASE_URL) {
    provided = { url: config.DATABASE_URL, embedded: false, stop: async () => undefined };
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(config.SLOTWISE_DATA_DIR, "pgdata"),
      port: config.EMBEDDED_PG_PORT,
    });
    log(
      server.startedHere
        ? `embedded PostgreSQL started on port ${config.EMBEDDED_PG_PORT}`
        : `reusing the embedded PostgreSQL already running on port ${config.EMBEDDED_PG_PORT}`,
    );
    await ensureDatabase(server.serverUrl, "slotwise");
    provided = { url: server.urlFor("slotwise"), embedded: true, stop: () => server.stop() };
  }
  const result = await migrate(provided.url);
  if (result.applied.length > 0) log(`applied migrations: ${result.applied.join(", ")}`);
  return provided;
}
