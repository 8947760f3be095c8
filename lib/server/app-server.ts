import http from "node:http";
import path from "node:path";
import next from "next";
import { apiListener } from "./api-dispatch";
import { loadBuiltApiRoutes } from "./built-routes";
import { closeGracefully } from "./close-gracefully";

/**
 * The production server (`npm start` runs one per core): Next.js serves the pages, and a
 * request for one of the API's route handlers goes straight to that handler — the one
 * `next build` compiled — instead of through Next.js's request pipeline.
 *
 * Why: that pipeline costs about a millisecond and a half of CPU per request whatever the
 * handler does (measured: `npm run bench:api` prints it as the floor), so one process tops out
 * near 700 requests a second and, with 100 pollers, the single-org read's p99 stayed above
 * 100 ms. Called directly, the same handlers answer several times as many (README,
 * "Performance"). The handlers use only the web's Request and Response (lib/api/route.ts),
 * nothing from Next.js's request context, so calling them directly changes nothing they see.
 *
 * Anything the table does not take — pages, assets, a method a route does not export (HEAD,
 * OPTIONS and 405 are Next.js's to answer), a trailing slash — goes to Next.js unchanged.
 * `npm run dev` keeps `next dev` alone, so route edits reload as usual.
 */
export interface AppServer {
  server: http.Server;
  /** Stops taking connections, gives requests in flight `graceMs` to finish, then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

export interface AppServerOptions {
  port: number;
  /** Interface to listen on; all of them when unset, as `next start`. */
  hostname?: string;
  /** The project directory (with its `.next` build); the working directory when unset. */
  dir?: string;
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const dir = options.dir ?? process.cwd();
  const app = next({ dev: false, dir, hostname: options.hostname ?? "localhost", port: options.port });
  const nextHandler = app.getRequestHandler();
  await app.prepare();
  // next.config.ts sets no distDir, so the build is in .next.
  const routes = await loadBuiltApiRoutes(path.join(dir, ".next"));
  const server = http.createServer(apiListener(routes, (req, res) => void nextHandler(req, res)));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    server,
    async close(graceMs = 5_000) {
      await closeGracefully(server, graceMs);
      await app.close();
    },
  };
}
