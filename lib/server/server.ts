import http from "node:http";
import { getRequestListener } from "@hono/node-server";
import { authSecret } from "../auth/secret";
import { env } from "../core/env";
import { log } from "../core/log";
import { pool } from "../db/client";
import { startSweeper } from "../dispatch/sweeper";
import { createApiApp, type MountedRoute } from "./api-app";
import { closeGracefully } from "./close-gracefully";

// The one server of `npm run dev` and `npm start` (docs/architecture.md, "The server"): the API
// through Hono (lib/server/api-app.ts), every page and asset through Next.js's documented
// custom-server API, `next({ dev }).getRequestHandler()`. SLOTWISE_ROLE picks what an instance
// serves, so an operator can run API-only and web-only instances behind one proxy:
//
// | role | serves | background duties |
// | all (default) | /api/* and the pages | the sweeper (lease expiry, samples, the platform's heartbeat) |
// | api | /api/* only (no Next.js, no build needed) | the sweeper |
// | web | the pages, and /api/health | none |

export type Role = "all" | "api" | "web";

export interface ServerOptions {
  port: number;
  /** Interface to listen on; all of them when unset. */
  hostname?: string;
  role?: Role;
  /** Next.js in development mode (compiles pages on request, reloads them on edit). */
  dev?: boolean;
  /** The project directory (with its `.next` build); the working directory when unset. */
  dir?: string;
  /** What to mount as the API; the app's route list unless given (tests add their own). */
  routes?: readonly MountedRoute[];
}

export interface AppServer {
  server: http.Server;
  port: number;
  /** Stops taking connections, gives requests in flight `graceMs` to finish, then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

const isApi = (url: string | undefined) => url !== undefined && (url === "/api" || url.startsWith("/api/") || url.startsWith("/api?"));

export async function startServer(options: ServerOptions): Promise<AppServer> {
  const role = options.role ?? env().SLOTWISE_ROLE;
  // A production server without its session secret refuses to start (it would answer every sign-in with an error).
  authSecret();
  const routes = options.routes ?? (await import("../../app/api/routes")).API_ROUTES;
  const served = role === "web" ? routes.filter((r) => r.path === "/api/health") : routes;
  // overrideGlobalObjects: false — Next.js runs in this process and uses the global Request and Response.
  const api = getRequestListener(createApiApp(served).fetch, { overrideGlobalObjects: false });
  let next: { handle: http.RequestListener; upgrade: (req: http.IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => void; close(): Promise<void> } | null = null;
  if (role !== "api") {
    const { default: nextServer } = await import("next");
    const app = nextServer({ dev: options.dev ?? false, dir: options.dir ?? process.cwd(), hostname: options.hostname ?? "localhost", port: options.port });
    await app.prepare();
    const handle = app.getRequestHandler();
    const upgrade = app.getUpgradeHandler();
    next = { handle: (req, res) => void handle(req, res), upgrade: (req, socket, head) => void upgrade(req, socket, head), close: () => app.close() };
  }
  const server = http.createServer((req, res) => {
    if (isApi(req.url) || !next) void api(req, res);
    else next.handle(req, res);
  });
  // Next.js's development server reloads pages over a WebSocket.
  if (next) server.on("upgrade", next.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const stopSweeper = role === "web" ? () => undefined : startSweeper(pool(), { onError: (error) => log().warn({ err: error }, "sweeper run failed") });
  return {
    server,
    port: (server.address() as { port: number }).port,
    async close(graceMs = 5_000) {
      stopSweeper();
      await closeGracefully(server, graceMs);
      await next?.close();
    },
  };
}
