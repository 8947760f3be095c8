import { z } from "zod";
import { AppError, badRequest, notFound, validationFailed, type FieldIssue } from "../core/errors";
import { storableIssue } from "./storable";

// What a route reads from the request (docs/api.md): the path's ids, the query and the body,
// each parsed with the route's own strict schema.

export type Schema = z.ZodType;
export type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export function issuesOf(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...path, key].join("."), message: "unknown field" }));
    }
    return [{ field: path.join(".") || prefix || "(root)", message: issue.message }];
  });
}

export function parse<S extends Schema | undefined>(schema: S, value: unknown, where: "params" | "query" | "body"): Infer<S> {
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
export function checkStorable(value: unknown, where: "params" | "query"): void {
  const issue = storableIssue(value, where);
  if (!issue) return;
  if (where === "params") throw notFound(entityOf(issue.field.split(".")[1]));
  throw validationFailed([issue]);
}

export function queryObject(url: URL): Record<string, string | string[]> {
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
export async function readBody(request: Request, maxBytes: number): Promise<unknown> {
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
