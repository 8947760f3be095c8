import { randomUUID } from "node:crypto";
import { z } from "zod";
import { authenticate, authorize, type Need, type Principal } from "../auth/principal";
import { AppError, badRequest, isAppError, notFound, unauthenticated, validationFailed, type FieldIssue } from "../core/errors";
import { storableIssue } from "./storable";
import { isDatabaseUnavailable } from "../db/unavailable";
import { log } from "../core/log";
import { problem } from "./problem";

/** How long a client is asked to wait when the database cannot be reached (a restart or failover takes seconds). */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * The one wrapper every route handler goes through: request id, body size limit, JSON
 * parsing, zod validation of params / query / body (unknown fields rejected by the strict
 * schemas callers pass), authentication, and the error contract — AppError becomes an
 * RFC 9457 problem+json reply with its status; anything else a generic 500 that names only
 * the request id (the details go to the log). Authorization itself happens in each handler
 * with `authorize`, because only the handler knows which org a request is about.
 */
type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export type AuthMode = "public" | "required";

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, A extends AuthMode> {
  /** "public" handlers still see the principal when the caller sent credentials. */
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  maxBodyBytes?: number;
  handler: (ctx: {
    principal: A extends "required" ? Principal : Principal | null;
    params: Infer<P>;
    query: Infer<Q>;
    body: Infer<B>;
    request: Request;
    requestId: string;
  }) => Promise<unknown> | unknown;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Bodies of results shared between concurrent requests (coalesced reads, lib/db/coalesce.ts):
 * a hundred callers of the 1,000-org list get one object, so it is serialized and encoded once.
 */
const serialized = new WeakMap<object, Uint8Array>();

function stringify(data: unknown): string {
  try {
    // Without a replacer V8 takes its fast path (about twice as fast on large lists); only
    // a BigInt (Prisma's BigInt columns) makes it throw, and then the replacer handles it.
    return JSON.stringify(data);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
  }
}

function bodyOf(data: unknown): string | ReadableStream<Uint8Array> {
  if (typeof data !== "object" || data === null || !Object.isFrozen(data)) return stringify(data);
  let bytes = serialized.get(data);
  if (!bytes) {
    bytes = Buffer.from(stringify(data));
    serialized.set(data, bytes);
  }
  // A stream hands every reply the same bytes; a Uint8Array body would be copied per reply
  // (the Fetch standard's rule), 170 kB each for the org list, and the garbage collector then
  // pauses for all those copies.
  const shared = bytes;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(shared);
      controller.close();
    },
  });
}

/** JSON that also carries BigInt ids (as numbers) and Dates (as ISO strings). */
export function json(data: unknown, init: ResponseInit & { requestId?: string } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  if (init.requestId) headers.set("x-request-id", init.requestId);
  return new Response(bodyOf(data) as BodyInit, { ...init, headers });
}

export function issuesOf(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...path, key].join("."), message: "unknown field" }));
    }
    return [{ field: path.join(".") || prefix || "(root)", message: issue.message }];
  });
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: "params" | "query" | "body"): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    // An id that names nothing is 404 whatever its shape (docs/api.md): the path's ids, and the
    // org a path-less endpoint is asked about (`?orgId=`).
    if (where === "params") throw notFound(entityOf(result.error.issues[0]?.path[0]));
    if (where === "query" && result.error.issues.every((i) => i.path[0] === "orgId")) throw notFound("Organization");
    const errors = issuesOf(result.error, where === "body" ? undefined : where);
    throw new AppError(422, "validation_failed", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
  }
  return result.data as Infer<S>;
}

const ENTITIES: Record<string, string> = { orgId: "Organization", projectId: "Project", poolId: "Pool", queueId: "Queue", flowId: "Flow", triggerId: "Trigger", id: "Execution" };
const entityOf = (param: PropertyKey | undefined) => (typeof param === "string" && ENTITIES[param]) || "Resource";

/** Path parameters and query values that PostgreSQL could not store or compare (see storableIssue). */
function checkStorable(value: unknown, where: "params" | "query"): void {
  const issue = storableIssue(value, where);
  if (!issue) return;
  if (where === "params") throw notFound(entityOf(issue.field.split(".")[1]));
  throw validationFailed([issue]);
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

// fatal: bytes that are not UTF-8 are refused rather than stored as replacement characters.
// A leading byte-order mark is dropped (the decoder's default), as RFC 8259 lets a parser do.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body as JSON (docs/api.md, "Request bodies"): at most `maxBytes`, UTF-8, and an empty
 * body is `{}` (as most JSON APIs take it) so the operation's own schema decides whether that
 * is enough. Strings PostgreSQL cannot store are refused here, naming the field.
 */
async function readBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError(413, "body_too_large", `The body may be at most ${maxBytes} bytes.`);
  // A client that hangs up mid-upload fails the read with its socket's error (ECONNRESET): that
  // is the client's doing, not a database outage, and nobody is left to read the reply.
  const bytes = await request.arrayBuffer().catch(() => {
    throw badRequest("The request body could not be read (the client went away?).");
  });
  if (bytes.byteLength > maxBytes) throw new AppError(413, "body_too_large", `The body may be at most ${maxBytes} bytes.`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8.");
  }
  if (text.trim() === "") return {};
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type && !type.includes("json")) throw new AppError(415, "unsupported_media_type", "Send the body as application/json.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON.");
  }
  const issue = storableIssue(body);
  if (issue) throw validationFailed([issue]);
  return body;
}

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, A extends AuthMode = "required">(
  spec: RouteSpec<P, Q, B, A>,
) {
  return async (request: Request, context?: NextContext): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    try {
      // Who first: an anonymous caller learns nothing, not even which input would be valid.
      // A public route without credentials needs no lookup (and none at build time, when
      // Next renders static routes such as /api/openapi.json with no auth configured).
      const sentCredentials = request.headers.has("authorization") || request.headers.has("cookie");
      const principal = spec.auth === "required" || sentCredentials ? await authenticate(request) : null;
      if (spec.auth === "required" && !principal) throw unauthenticated();
      const rawParams = context ? await context.params : {};
      checkStorable(rawParams, "params");
      const params = parse(spec.params, rawParams, "params") as Infer<P>;
      const rawQuery = queryObject(new URL(request.url));
      checkStorable(rawQuery, "query");
      const query = parse(spec.query, rawQuery, "query") as Infer<Q>;
      const body = (spec.body ? parse(spec.body, await readBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), "body") : undefined) as Infer<B>;
      const result = await spec.handler({ principal: principal as never, params, query, body, request, requestId });
      if (result instanceof Response) {
        result.headers.set("x-request-id", requestId);
        return result;
      }
      return json(result ?? null, { requestId });
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
}

export { authorize, type Need };
