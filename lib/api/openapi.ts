import { z } from "zod";
import { orgConcurrencyUpdate } from "../orgs/update-org";
import { orgSamplesQuery, platformSamplesQuery } from "../samples/list-samples";
import { parallelSettingsUpdate } from "../orgs/parallel-settings";
import { platformSettingsUpdate } from "../platform/platform-settings";
import { projectCreate, projectUpdate } from "../projects/projects";
import { poolCreate, poolUpdate } from "../projects/pools";
import { queueCreate, queueUpdate } from "../queues/queues";
import { flowCreate, flowUpdate } from "../flows/flows";
import { triggerCreate } from "../flows/triggers";
import { listExecutionsQuery } from "../executions/list-executions";
import { submitBody } from "../executions/submit-schema";
import { listAuditQuery } from "../audit/list-audit";
import { flowSamplesQuery } from "../samples/flow-samples";
import { claimBody, completeBody, heartbeatBody, pauseBody, registerBody, releaseBody, resumeBody } from "../workers/protocol";
import { flowParams, idParams, orgChildParams, orgParams, orgQuery, projectFilterQuery } from "./params";
import * as reply from "../contract";

/**
 * The OpenAPI 3.1 description, built from the same zod schemas the route handlers validate
 * with (zod's JSON Schema output is the 2020-12 dialect OpenAPI 3.1 uses), so the document
 * cannot drift from what the server accepts. Replies are documented from lib/contract/responses.ts,
 * and every integration test checks the replies it gets against them (helpers/api.ts `call`),
 * so they cannot drift from what the server answers. tests/integration/openapi.test.ts checks
 * that every route file is described here.
 */
type Who = "anyone" | "platform admin" | "org member" | "org admin" | "worker" | "org member or worker" | "embedding JWT" | "org admin or platform admin";

interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  who: Who;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  created?: boolean;
  /** The success reply's JSON (lib/contract/responses.ts); every operation answering JSON needs one. */
  response?: z.ZodType;
  /** The media type of a success reply that is not JSON. */
  produces?: string;
  /** Error statuses beyond those that follow from `who`, params, query and body (see errorStatuses). */
  errors?: number[];
  /** Replies other than the success reply and problem+json errors. */
  other?: Record<string, { description: string; schema: z.ZodType }>;
}

const projectParams = orgChildParams("projectId");
const poolParams = orgChildParams("poolId");
const queueParams = orgChildParams("queueId");
const flowChildParams = orgChildParams("flowId");
const triggerParams = orgChildParams("triggerId");

export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/health", summary: "App and database status (200 / 503)", who: "anyone", response: reply.health, other: { "503": { description: "The database is unreachable", schema: reply.healthDegraded } } },
  { method: "get", path: "/api/openapi.json", summary: "This document", who: "anyone", response: reply.openApi },
  { method: "get", path: "/api/fair-scheduler/orgs", summary: "Every org: in-flight, queued, weight, cap, load ratio, fair-order rank", who: "platform admin", response: z.array(reply.orgConcurrencyRow) },
  { method: "get", path: "/api/fair-scheduler/orgs/{orgId}", summary: "One org's concurrency", who: "org member", params: orgParams, response: reply.orgConcurrency },
  { method: "put", path: "/api/fair-scheduler/orgs/{orgId}", summary: "Set weight and/or maxConcurrency", who: "platform admin", params: orgParams, body: orgConcurrencyUpdate, response: reply.orgConcurrency },
  { method: "get", path: "/api/fair-scheduler/samples", summary: "In-flight over time per org (busiest orgs named, the rest summed as other), averaged into buckets", who: "platform admin", query: platformSamplesQuery, response: reply.platformSamples },
  { method: "get", path: "/api/fair-scheduler/orgs/{orgId}/samples", summary: "One org's in-flight and queued over time, averaged into buckets", who: "org member", params: orgParams, query: orgSamplesQuery, response: reply.samples },
  { method: "get", path: "/api/private/lifecycle_management/parallel_execution_settings", summary: "Parallel execution settings", who: "org member", query: orgQuery, response: reply.parallelSettings },
  { method: "put", path: "/api/private/lifecycle_management/parallel_execution_settings", summary: "Update parallel execution settings", who: "org admin", query: orgQuery, body: parallelSettingsUpdate, response: reply.parallelSettings },
  { method: "get", path: "/api/private/lifecycle_management/parallel_execution_settings:details", summary: "current_value = min(env_value, settings_value) per setting", who: "org member", query: orgQuery, response: reply.parallelSettingDetails },
  { method: "get", path: "/api/platform/settings", summary: "Global capacity and default project concurrency", who: "platform admin", response: reply.platformSettings },
  { method: "put", path: "/api/platform/settings", summary: "Update platform settings", who: "platform admin", body: platformSettingsUpdate, response: reply.platformSettings },
  { method: "get", path: "/api/orgs/{orgId}/projects", summary: "List projects, each with inFlight, queued, effectiveMaxConcurrentJobs and platformDefaultConcurrentJobs", who: "org member", params: orgParams, response: z.array(reply.project) },
  { method: "post", path: "/api/orgs/{orgId}/projects", summary: "Create a project", who: "org admin", params: orgParams, body: projectCreate, created: true, response: reply.project, errors: [409] },
  { method: "get", path: "/api/orgs/{orgId}/projects/{projectId}", summary: "A project, with the same live usage as the list", who: "org member", params: projectParams, response: reply.project },
  { method: "patch", path: "/api/orgs/{orgId}/projects/{projectId}", summary: "Update a project (maxConcurrentJobs null = platform default)", who: "org admin", params: projectParams, body: projectUpdate, response: reply.project, errors: [409] },
  { method: "delete", path: "/api/orgs/{orgId}/projects/{projectId}", summary: "Delete a project (its live executions are cancelled or killed first)", who: "org admin", params: projectParams, response: reply.deleted },
  { method: "get", path: "/api/orgs/{orgId}/pools", summary: "List concurrency pools, each with its projects and the inFlight they share", who: "org member", params: orgParams, response: z.array(reply.pool) },
  { method: "post", path: "/api/orgs/{orgId}/pools", summary: "Create a pool", who: "org admin", params: orgParams, body: poolCreate, created: true, response: reply.pool, errors: [409] },
  { method: "patch", path: "/api/orgs/{orgId}/pools/{poolId}", summary: "Update a pool", who: "org admin", params: poolParams, body: poolUpdate, response: reply.pool, errors: [409] },
  { method: "delete", path: "/api/orgs/{orgId}/pools/{poolId}", summary: "Delete a pool (its projects leave it)", who: "org admin", params: poolParams },
  { method: "get", path: "/api/orgs/{orgId}/queues", summary: "List queues", who: "org member", params: orgParams, response: z.array(reply.queue) },
  { method: "post", path: "/api/orgs/{orgId}/queues", summary: "Create a queue", who: "org admin", params: orgParams, body: queueCreate, created: true, response: reply.queue, errors: [409] },
  { method: "patch", path: "/api/orgs/{orgId}/queues/{queueId}", summary: "Update a queue", who: "org admin", params: queueParams, body: queueUpdate, response: reply.queue, errors: [409] },
  { method: "delete", path: "/api/orgs/{orgId}/queues/{queueId}", summary: "Delete an unused queue", who: "org admin", params: queueParams, errors: [409] },
  { method: "get", path: "/api/orgs/{orgId}/flows", summary: "List flows with their slots held (activeSlots) and executions queued now", who: "org member", params: orgParams, query: projectFilterQuery, response: z.array(reply.flow) },
  { method: "post", path: "/api/orgs/{orgId}/flows", summary: "Create a flow with concurrency {limit, behavior}", who: "org admin", params: orgParams, body: flowCreate, created: true, response: reply.flow, errors: [409] },
  { method: "get", path: "/api/orgs/{orgId}/flows/{flowId}", summary: "A flow, with its slots held and executions queued now", who: "org member", params: flowChildParams, response: reply.flow },
  { method: "patch", path: "/api/orgs/{orgId}/flows/{flowId}", summary: "Update a flow (applies at the next dispatch)", who: "org admin", params: flowChildParams, body: flowUpdate, response: reply.flow, errors: [409] },
  { method: "delete", path: "/api/orgs/{orgId}/flows/{flowId}", summary: "Delete a flow (its live executions are cancelled or killed first)", who: "org admin", params: flowChildParams, response: reply.deleted },
  { method: "get", path: "/api/orgs/{orgId}/triggers", summary: "List triggers", who: "org member", params: orgParams, response: z.array(reply.trigger) },
  { method: "post", path: "/api/orgs/{orgId}/triggers", summary: "Create a trigger", who: "org admin", params: orgParams, body: triggerCreate, created: true, response: reply.trigger, errors: [409] },
  { method: "delete", path: "/api/orgs/{orgId}/triggers/{triggerId}", summary: "Delete a trigger", who: "org admin", params: triggerParams },
  { method: "get", path: "/api/flows/{flowId}/concurrency", summary: "Flow concurrency tab: active vs total slots, running and queued executions; `stuck` when a RUNNING execution's last heartbeat is older than `stuckAfterMs` (half the lease)", who: "org member", params: flowParams, response: reply.flowConcurrency },
  { method: "get", path: "/api/flows/{flowId}/samples", summary: "One flow's in-flight and queued over time, averaged into buckets", who: "org member", params: flowParams, query: flowSamplesQuery, response: reply.flowSamples },
  { method: "post", path: "/api/executions", summary: "Submit an execution (201; 409 trigger_locked)", who: "org member or worker", body: submitBody, created: true, response: reply.submitted, errors: [409] },
  { method: "get", path: "/api/executions", summary: "List executions (filters, keyset pagination)", who: "org member or worker", query: listExecutionsQuery, response: reply.executionPage, errors: [400] },
  { method: "get", path: "/api/executions/{id}", summary: "Execution detail with transition history and explain", who: "org member or worker", params: idParams, response: reply.executionDetail },
  { method: "delete", path: "/api/executions/{id}", summary: "Delete (kills a live execution and its descendants first)", who: "org admin", params: idParams, response: reply.killed },
  { method: "post", path: "/api/executions/{id}/kill", summary: "Kill an execution and its descendants; frees the slot at once", who: "org admin", params: idParams, response: reply.killed },
  { method: "post", path: "/api/workers/register", summary: "Register a worker process", who: "worker", body: registerBody, created: true, response: reply.registered },
  { method: "post", path: "/api/workers/claim", summary: "Report outcomes and claim up to N executions (long poll with waitMs; Retry-After when empty)", who: "worker", body: claimBody, response: reply.claimed },
  { method: "post", path: "/api/workers/heartbeat", summary: "Extend leases; tells the worker which executions were killed or lost", who: "worker", body: heartbeatBody, response: reply.heartbeats, errors: [409] },
  { method: "post", path: "/api/workers/complete", summary: "Report SUCCESS / FAILED (current lease holder only, exactly once)", who: "worker", body: completeBody, response: reply.completed, errors: [409] },
  { method: "post", path: "/api/workers/release", summary: "Hand executions back unfinished: QUEUED again at their old place, slot freed, no attempt spent (current lease holder only)", who: "worker", body: releaseBody, response: reply.released, errors: [409] },
  { method: "post", path: "/api/workers/pause", summary: "Pause a running execution", who: "worker", body: pauseBody, response: reply.paused, errors: [409] },
  { method: "post", path: "/api/workers/resume", summary: "Resume a paused execution", who: "worker", body: resumeBody, response: reply.resumed, errors: [409] },
  { method: "post", path: "/api/embed/provision", summary: "Create/update a user and project from an embedding JWT (pool claims supported)", who: "embedding JWT", response: reply.provisioned, errors: [409, 422, 503] },
  { method: "get", path: "/api/audit", summary: "Configuration changes", who: "org admin or platform admin", query: listAuditQuery, response: reply.auditPage },
  { method: "get", path: "/api/metrics", summary: "Prometheus metrics", who: "platform admin", produces: "text/plain; version=0.0.4" },
  { method: "get", path: "/api/events", summary: "Server-sent events: `ready`, then `change` as soon as a change in your orgs commits (text/event-stream)", who: "org member or worker", produces: "text/event-stream" },
];

function parameters(schema: z.ZodObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s }));
}

const problem = { description: "Error (RFC 9457 problem details)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };

/** A reply's JSON Schema; uuid and date-time strings keep their format without zod's long patterns. */
const replySchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === "uuid" || jsonSchema.format === "date-time") delete jsonSchema.pattern;
    },
  });

/** 204 for deleting pools, queues and triggers (no body), 201 for creations, else 200. */
export function successStatus(op: Operation): 200 | 201 | 204 {
  return op.method === "delete" && /pools|queues|triggers/.test(op.path) ? 204 : op.created ? 201 : 200;
}

/**
 * The problem+json statuses an operation can answer: 401 without credentials; 403 when a role
 * is required (a non-member of an org gets 404, so its existence is not revealed); 404 when the
 * org, the resource in the path or the caller's worker is not there; 400 / 413 / 415 for a
 * body that is not JSON, too large or of another type; 422 for invalid params, query or body.
 */
export function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.errors ?? []);
  if (op.who !== "anyone") statuses.add(401);
  if (["platform admin", "org admin", "worker", "org admin or platform admin"].includes(op.who)) statuses.add(403);
  if (op.params || [op.query, op.body].some((s) => s instanceof z.ZodObject && ("orgId" in s.shape || "workerId" in s.shape))) statuses.add(404);
  if (op.body) [400, 413, 415].forEach((s) => statuses.add(s));
  if (op.params || op.query || op.body) statuses.add(422);
  return [...statuses].sort((a, b) => a - b);
}

function successReply(op: Operation) {
  if (successStatus(op) === 204) return { description: "Done (no body)" };
  if (op.produces) return { description: "Success", content: { [op.produces]: { schema: { type: "string" } } } };
  return op.response ? { description: "Success", content: { "application/json": { schema: replySchema(op.response) } } } : { description: "Success" };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      description: `Who may call it: ${op.who}.`,
      ...(op.who === "anyone" ? { security: [] } : {}),
      parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }) } } } }
        : {}),
      responses: {
        [successStatus(op)]: successReply(op),
        ...Object.fromEntries(errorStatuses(op).map((status) => [String(status), problem])),
        ...Object.fromEntries(Object.entries(op.other ?? {}).map(([status, r]) => [status, { description: r.description, content: { "application/json": { schema: replySchema(r.schema) } } }])),
        "4XX": problem,
        "5XX": problem,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Slotwise API", version: "0.1.0", description: "Fair-share concurrency control plane. Authenticate with a browser session or `Authorization: Bearer <token>`." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "API token (sw_…) minted with `npm run cli -- token create`" },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
      schemas: {
        Problem: replySchema(reply.problem),
      },
    },
  };
}
