import { z } from "zod";
import { problem } from "../contract/problem";
import type { Who } from "./needs";
import type { RouteDefinition, RouteHandler } from "./route";

// The OpenAPI 3.1 description, built from the route files themselves (app/api/routes.ts lists
// them): each route's declared need, its zod schemas (zod's JSON Schema output is the 2020-12
// dialect OpenAPI 3.1 uses) and its `doc`, so the document cannot drift from what the server
// accepts, who it lets in, or what it answers — every integration test checks the replies it
// gets against the same reply schemas (tests/integration/helpers/api.ts).

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** One operation: a method of a listed route file. */
export interface Operation extends RouteDefinition {
  method: Lowercase<Method>;
  path: string;
}

interface ListedRoute {
  path: string;
  module: Partial<Record<Method, unknown>>;
}

function definitionOf(handler: unknown): RouteDefinition | undefined {
  return typeof handler === "function" ? (handler as Partial<RouteHandler>).definition : undefined;
}

/** Every method of every listed route made with route() (better-auth's own handlers are not). */
export function operationsOf(routes: readonly ListedRoute[]): Operation[] {
  return routes.flatMap((r) =>
    METHODS.flatMap((method) => {
      const definition = definitionOf(r.module[method]);
      return definition ? [{ ...definition, method: method.toLowerCase() as Lowercase<Method>, path: r.path }] : [];
    }),
  );
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s }));
}

const problemReply = { description: "Error (RFC 9457 problem details)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };

/** A reply's JSON Schema; uuid and date-time strings keep their format without zod's long patterns. */
const replySchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === "uuid" || jsonSchema.format === "date-time") delete jsonSchema.pattern;
    },
  });

export function successStatus(op: Pick<Operation, "doc">): 200 | 201 | 204 {
  return op.doc.status ?? 200;
}

const ROLE_NEEDED: readonly Who[] = ["platform admin", "org admin", "worker", "org admin or platform admin"];
const hasField = (schema: z.ZodType | undefined, field: string) => schema instanceof z.ZodObject && field in schema.shape;

/**
 * The problem+json statuses an operation can answer: 401 without credentials; 403 when a role
 * is required (a non-member of an org gets 404, so its existence is not revealed); 404 when the
 * org, the resource in the path or the caller's worker is not there; 400 / 413 / 415 for a
 * body that is not JSON, too large or of another type; 422 for invalid query or body.
 */
export function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.doc.errors ?? []);
  const who = op.need.who;
  if (!op.need.anonymous) statuses.add(401);
  if (ROLE_NEEDED.includes(who)) statuses.add(403);
  if (op.params || hasField(op.query, "orgId") || hasField(op.body, "orgId") || hasField(op.body, "workerId")) statuses.add(404);
  if (op.body) [400, 413, 415].forEach((s) => statuses.add(s));
  if (op.query || op.body) statuses.add(422);
  return [...statuses].sort((a, b) => a - b);
}

function successReply(op: Operation) {
  if (successStatus(op) === 204) return { description: "Done (no body)" };
  if (op.doc.produces) return { description: "Success", content: { [op.doc.produces]: { schema: { type: "string" } } } };
  return op.doc.response ? { description: "Success", content: { "application/json": { schema: replySchema(op.doc.response) } } } : { description: "Success" };
}

export function openApiDocument(routes: readonly ListedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operationsOf(routes)) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.doc.summary,
      description: `Who may call it: ${op.need.who}.`,
      ...(op.need.anonymous ? { security: [] } : {}),
      parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }) } } } }
        : {}),
      responses: {
        [successStatus(op)]: successReply(op),
        ...Object.fromEntries(errorStatuses(op).map((status) => [String(status), problemReply])),
        ...Object.fromEntries(Object.entries(op.doc.other ?? {}).map(([status, r]) => [status, { description: r.description, content: { "application/json": { schema: replySchema(r.schema) } } }])),
        "4XX": problemReply,
        "5XX": problemReply,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Slotwise API", version: "0.2.0", description: "Fair-share concurrency control plane. Authenticate with a browser session or `Authorization: Bearer <token>`." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "API token (sw_…) minted with `npm run cli -- token create`" },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
      schemas: {
        Problem: replySchema(problem),
      },
    },
  };
}
