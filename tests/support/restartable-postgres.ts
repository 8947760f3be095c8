import { readFile, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from "../../tooling/db/embedded";
import { migrate } from "../../tooling/db/migrate";
import { freePort } from "./free-port";

// A PostgreSQL server of a test's own, on its own port and data folder, that the test can
// stop (PostgreSQL's fast or immediate shutdown) and start again: for outages and restarts
// the shared test server must not suffer. Its one database is migrated like the template.

export interface RestartablePostgres {
  /** The migrated database's URL. */
  url: string;
  /** fast: clients are told (57P01) and disconnected; immediate: the server just dies (SIGQUIT). */
  stop(mode: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

export async function restartablePostgres(): Promise<RestartablePostgres> {
  const port = await freePort();
  const dataDir = path.resolve(`.slotwise/test-restartable-${port}`);
  let server: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port, fast: true });
  await ensureDatabase(server.serverUrl, "slotwise_restartable");
  const url = server.urlFor("slotwise_restartable");
  await migrate(url);
  return {
    url,
    async stop(mode) {
      if (mode === "fast") return server.stop();
      const pid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      process.kill(pid, "SIGQUIT");
      await waitUntil(async () => !(await portOpen(port)));
    },
    async start() {
      server = await startEmbeddedPostgres({ dataDir, port, fast: true });
    },
    async destroy() {
      if (await portOpen(port)) await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}
