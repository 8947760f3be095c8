import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The API's route handlers as `next build` compiled them, for the production server to call
 * directly (lib/server/app-server.ts). The same compiled modules Next.js itself loads — one
 * module graph, so the pool, metrics and caches the pages use are the ones the API uses.
 *
 * This leans on three things of the build's layout that Next.js does not document, kept
 * together here: `.next/server/app-paths-manifest.json` maps `/api/…/route` to a compiled
 * file, that file exports `routeModule`, and `routeModule.ensureUserland()` then
 * `.userland` give the route file's own exports. A Next.js upgrade that changes them makes
 * the server refuse to start (and the end-to-end tests fail), never silently misroute.
 */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface BuiltRoute {
  /** The route's folder path, e.g. `/api/orgs/[orgId]/flows`. */
  pattern: string;
  handlers: Partial<Record<Method, RouteHandler>>;
}

interface CompiledRoute {
  routeModule?: { ensureUserland?: () => Promise<void>; userland?: Record<string, unknown> };
}

/** Must run after Next.js's `prepare()`, which installs the require hooks compiled routes expect. */
export async function loadBuiltApiRoutes(distDir: string): Promise<BuiltRoute[]> {
  const serverDir = path.join(distDir, "server");
  const manifestPath = path.join(serverDir, "app-paths-manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, string>;
  const load = createRequire(manifestPath);
  const routes: BuiltRoute[] = [];
  for (const [key, file] of Object.entries(manifest)) {
    if (!key.startsWith("/api/") || !key.endsWith("/route")) continue;
    const pattern = key.slice(0, -"/route".length);
    const compiled = load(path.join(serverDir, file)) as CompiledRoute;
    const routeModule = compiled.routeModule;
    if (typeof routeModule?.ensureUserland !== "function") {
      throw new Error(`${file} does not have the layout this server knows (routeModule.ensureUserland); the installed Next.js is not the one it was written for`);
    }
    await routeModule.ensureUserland();
    const userland = routeModule.userland ?? {};
    const handlers: BuiltRoute["handlers"] = {};
    for (const method of METHODS) {
      const handler = userland[method];
      if (typeof handler === "function") handlers[method] = handler as RouteHandler;
    }
    if (Object.keys(handlers).length === 0) throw new Error(`${file}: no route handler found in routeModule.userland`);
    routes.push({ pattern, handlers });
  }
  if (routes.length === 0) throw new Error(`${manifestPath} lists no API routes: is this a build of this app?`);
  return routes;
}
