import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticate, type Principal } from "../auth/principal";
import { isAppError, unauthenticated } from "../core/errors";
import { log } from "../core/log";
import { isDatabaseUnavailable } from "../db/unavailable";
import { needBuilder, type Need, type NeedBuilder } from "./needs";
import { problem } from "./problem";
import { json } from "./reply";
import { checkStorable, parse, queryObject, readBody, type Infer, type Schema } from "./request";

// The one wrapper every route handler goes through (docs/api.md): request id, authentication,
// the route's declared need (who may call it), zod validation of params / query / body
// (unknown fields rejected by the strict schemas routes pass), and the error contract —
// AppError becomes an RFC 9457 problem+json reply with its status; anything else a generic 500
// that names only the request id (the details go to the log). A route file is the single
// definition of its endpoint: the server mounts it (lib/server), the OpenAPI document describes
// it from `doc` and the schemas (lib/api/openapi.ts), the authorization matrix test calls it
// as every kind of caller.

/** How long a client is asked to wait when the database cannot be reached (a restart or failover takes seconds). */
const DATABASE_RETRY_AFTER_S = 5;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** What the OpenAPI document says of an operation beyond its schemas and who may call it. */
export interface RouteDoc {
  summary: string;
  /** The success reply's JSON (lib/contract); every operation answering JSON has one. */
  response?: z.ZodType;
  /** 200 unless given; a 201 or 204 route's result is sent with that status (204: no body). */
  status?: 200 | 201 | 204;
  /** The media type of a success reply that is not JSON. */
  produces?: string;
  /** Error statuses beyond those that follow from the need, params, query and body. */
  errors?: number[];
  /** Replies other than the success reply and problem+json errors. */
  other?: Record<string, { description: string; schema: z.ZodType }>;
}

export interface HandlerContext<P, Q, B, G, A extends boolean> {
  principal: A extends true ? null : Principal;
  /** What the need granted: the org the request is about, the caller's worker, its scope. */
  grant: G;
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
}

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, G, A extends boolean> {
  /** Who may call it (lib/api/needs.ts); checked before the handler runs. */
  need: (who: NeedBuilder<Infer<P>, Infer<Q>, Infer<B>>) => Need<G, A>;
  params?: P;
  query?: Q;
  body?: B;
  maxBodyBytes?: number;
  doc: RouteDoc;
  handler: (ctx: HandlerContext<Infer<P>, Infer<Q>, Infer<B>, G, A>) => Promise<unknown> | unknown;
}

/** A route as the server, the OpenAPI document and the tests see it. */
export interface RouteDefinition {
  need: Need;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  doc: RouteDoc;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & { readonly definition: RouteDefinition };

export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, G = object, A extends boolean = false>(
  spec: RouteSpec<P, Q, B, G, A>,
): RouteHandler {
  // Fails closed at startup: a route that says nothing of who may call it is not served.
  if (typeof spec.need !== "function") throw new Error(`route "${spec.doc?.summary ?? "?"}" declares no need: say who may call it (lib/api/needs.ts)`);
  const need = spec.need(needBuilder()) as Need;
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const status = spec.doc.status ?? 200;
  const handle = async (request: Request, context?: RouteContext): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    try {
      // Who first: an anonymous caller learns nothing, not even which input would be valid. A
      // public route looks nobody up (none at build time either, when Next renders static
      // routes such as /api/openapi.json with no auth configured).
      const principal = need.anonymous ? null : await authenticate(request);
      if (!need.anonymous && !principal) throw unauthenticated();
      const rawParams = context ? await context.params : {};
      checkStorable(rawParams, "params");
      const params = parse(spec.params, rawParams, "params") as Infer<P>;
      const rawQuery = queryObject(new URL(request.url));
      checkStorable(rawQuery, "query");
      const query = parse(spec.query, rawQuery, "query") as Infer<Q>;
      const readParsedBody = async () => (spec.body ? parse(spec.body, await readBody(request, maxBodyBytes), "body") : undefined);
      // The body is read before the need is checked only when the need is about the body, and
      // then only after what can be checked without it.
      need.admits?.(principal);
      let body = need.readsBody ? await readParsedBody() : undefined;
      const grant = await need.grant({ principal, params, query, body });
      if (!need.readsBody) body = await readParsedBody();
      const result = await spec.handler({ principal: principal as never, grant: grant as G, params, query, body: body as Infer<B>, request, requestId });
      if (result instanceof Response) {
        result.headers.set("x-request-id", requestId);
        return result;
      }
      if (status === 204) return new Response(null, { status, headers: { "x-request-id": requestId } });
      return json(result ?? null, { status, requestId });
    } catch (error) {
      if (isAppError(error)) {
        const reply = problem(error.status, error.code, error.message, requestId, error.extra);
        if (error.retryAfterS !== undefined) reply.headers.set("retry-after", String(error.retryAfterS));
        return reply;
      }
      if (isDatabaseUnavailable(error)) {
        log().warn({ err: error, requestId, url: request.url, method: request.method }, "the database cannot be reached");
        const reply = problem(503, "database_unavailable", "The database cannot be reached right now. Try again shortly.", requestId);
        reply.headers.set("retry-after", String(DATABASE_RETRY_AFTER_S));
        return reply;
      }
      log().error({ err: error, requestId, url: request.url, method: request.method }, "unhandled error in route handler");
      return problem(500, "internal_error", "Something went wrong on our side. Quote the request id if you report it.", requestId);
    }
  };
  const definition: RouteDefinition = { need, params: spec.params, query: spec.query, body: spec.body, doc: spec.doc };
  return Object.assign(handle, { definition });
}
