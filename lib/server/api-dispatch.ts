import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import compression from "compression";
import { problem } from "../api/problem";
import { log } from "../core/log";
import type { BuiltRoute, Method, RouteHandler } from "./built-routes";
import { sendResponse, toRequest } from "./fetch-bridge";
import { routeTable, type Params, type RouteTable } from "./route-table";

/**
 * The production server's request listener (lib/server/app-server.ts): a request for a method
 * one of `routes` exports goes to that handler; every other request goes to `fallback`
 * (Next.js) untouched. Replies are compressed for clients that accept it, as `next start`
 * compresses its own (`compress` is on by default there).
 */
export function apiListener(routes: BuiltRoute[], fallback: RequestListener): RequestListener {
  const table = routeTable(routes.map((r) => ({ pattern: r.pattern, route: r.handlers })));
  const compress = compression();
  return (req, res) => {
    const hit = handlerFor(req, table);
    if (!hit) {
      fallback(req, res);
      return;
    }
    compress(req as never, res as never, () => void dispatch(hit.handler, hit.params, req, res));
  };
}

function handlerFor(req: IncomingMessage, table: RouteTable<BuiltRoute["handlers"]>) {
  const url = req.url ?? "/";
  if (!url.startsWith("/api/")) return null;
  const query = url.indexOf("?");
  const hit = table.match(query < 0 ? url : url.slice(0, query));
  const handler = hit?.route[req.method as Method];
  return hit && handler ? { handler, params: hit.params } : null;
}

async function dispatch(handler: RouteHandler, params: Params, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const response = await handler(toRequest(req, res), { params: Promise.resolve(params) });
    await sendResponse(response, res);
  } catch (error) {
    // Route handlers answer their own errors (lib/api/route.ts); this is for one that threw.
    const sent = req.headers["x-request-id"];
    const requestId = (typeof sent === "string" && sent.slice(0, 100)) || randomUUID();
    log().error({ err: error, requestId, url: req.url, method: req.method }, "unhandled error serving an API request");
    if (res.headersSent) res.destroy();
    else await sendResponse(problem(500, "internal_error", "Something went wrong on our side. Quote the request id if you report it.", requestId), res);
  }
}
