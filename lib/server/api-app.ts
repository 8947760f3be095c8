import { randomUUID } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { compress } from "hono/compress";
import { methodNotAllowed } from "hono/method-not-allowed";
import { trimTrailingSlash } from "hono/trailing-slash";
import { problem } from "../api/problem";
import { log } from "../core/log";

// The API over HTTP (docs/architecture.md, "The server"): a Hono app that mounts every route
// file of the route list (app/api/routes.ts) as a plain module import — the route files stay
// the single definition of each endpoint, and their handlers already take a Request and give a
// Response — with what an HTTP API owes its clients around them: 405 with Allow for a method a
// path does not serve (OPTIONS answers the methods), HEAD like GET, a redirect for a trailing
// slash, gzip for clients that accept it (never an event stream: it is sent no-transform; not
// the worker protocol), and
// the problem+json contract for anything that goes wrong outside a handler.

type Handler = (request: Request, context?: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>;
export interface MountedRoute {
  /** OpenAPI style: `{param}` for one segment, `{...rest}` for the rest of the path. */
  path: string;
  module: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function honoPath(path: string): string {
  return path.replace(/\{\.\.\.\w+\}$/, "*").replace(/\{(\w+)\}/g, ":$1");
}

/**
 * better-auth counts sign-in attempts per client address and reads it from x-forwarded-for, as
 * a proxy (or Next.js) would have set it: set it from the socket when nobody in front did.
 */
function withForwardedHeaders(c: Context<{ Bindings: HttpBindings }>): Request {
  const request = c.req.raw;
  if (request.headers.has("x-forwarded-for")) return request;
  const headers = new Headers(request.headers);
  headers.set("x-forwarded-for", c.env.incoming.socket.remoteAddress ?? "");
  headers.set("x-forwarded-proto", "http");
  const host = request.headers.get("host");
  if (host) headers.set("x-forwarded-host", host);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : request.body;
  return new Request(request.url, { method: request.method, headers, body, signal: request.signal, duplex: "half" } as RequestInit);
}

export function createApiApp(routes: readonly MountedRoute[]): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(trimTrailingSlash());
  // Not the worker protocol: workers sit next to the server, and gzip of every claim and
  // report costs both ends more CPU than it saves on the wire (docs/architecture.md).
  const gzip = compress();
  app.use((c, next) => (c.req.path.startsWith("/api/workers/") ? next() : gzip(c, next)));
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        const allow = [...methods, "OPTIONS"].join(", ");
        if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow });
        return c.body(null, 405, { Allow: allow });
      },
    }),
  );
  for (const { path, module } of routes) {
    const catchAll = path.includes("{...");
    for (const method of METHODS) {
      const handler = module[method];
      if (!handler) continue;
      app.on(method, honoPath(path), (c) =>
        handler(catchAll ? withForwardedHeaders(c) : c.req.raw, { params: Promise.resolve(c.req.param() as Record<string, string>) }),
      );
    }
  }
  app.notFound((c) => problem(404, "not_found", `No API endpoint at ${c.req.path}.`, c.req.header("x-request-id") ?? randomUUID()));
  app.onError((error, c) => {
    const requestId = c.req.header("x-request-id")?.slice(0, 100) || randomUUID();
    log().error({ err: error, requestId, url: c.req.url, method: c.req.method }, "unhandled error in the API server");
    return problem(500, "internal_error", "Something went wrong on our side. Quote the request id if you report it.", requestId);
  });
  return app;
}
