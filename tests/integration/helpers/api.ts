import { z } from "zod";
import { prisma } from "../../../lib/db/client";
import { mintToken } from "../../../lib/auth/tokens";
import { API_ROUTES } from "../../../app/api/routes";
import { operationsOf, successStatus, type Operation } from "../../../lib/api/openapi";
import { problem } from "../../../lib/contract";
import { db, org } from "./fixtures";

// Calls route handlers in-process (the same exported functions Next.js serves) with real
// requests, against the per-file test database. Every success reply is checked against the
// OpenAPI document (checkReply), so each API test also keeps the document honest.

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function call(handler: Handler, method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  checkReply(method, path, response.status, response.headers.get("content-type"), json);
  // Tests assert on reply shapes field by field; an untyped body keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, json: json as any, text };
}

/** Every operation of the route list: what the server mounts and the OpenAPI document describes. */
export const OPERATIONS: Operation[] = operationsOf(API_ROUTES);

const templates = OPERATIONS.map((op) => ({
  op,
  // `{param}` is one path segment; everything else is literal (e.g. `parallel_execution_settings:details`).
  pattern: new RegExp(`^${op.path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+")}$`),
  params: (op.path.match(/\{/g) ?? []).length,
}));

/** The operation serving `method path` (query string ignored); a literal segment beats a `{param}`. */
export function operationFor(method: string, path: string): Operation | undefined {
  const pathname = path.split(/[?#]/)[0]!;
  const matches = templates.filter((t) => t.op.method === method.toLowerCase() && t.pattern.test(pathname));
  return matches.sort((a, b) => a.params - b.params)[0]?.op;
}

/** `method path` of every operation whose reply checkReply has accepted in this test file. */
export const checkedOperations = new Set<string>();

/**
 * The drift guard: a 2xx JSON reply must come from a documented operation, with its documented
 * success status, and match its response schema (strict: no missing, extra or mistyped field).
 * Replies that are not JSON (204, Prometheus text, server-sent events) are not parsed here, but
 * must carry the media type the operation documents. An error reply must be problem+json with
 * the Problem fields and its own status, unless the operation documents it otherwise (health's
 * 503). Throws, failing the test, otherwise.
 */
export function checkReply(method: string, path: string, status: number, contentType: string | null, json: unknown): void {
  const op = operationFor(method, path);
  const name = `${method.toUpperCase()} ${op?.path ?? path}`;
  if (status >= 400) {
    const documented = op?.doc.other?.[String(status)];
    const result = (documented?.schema ?? problem).safeParse(json);
    if (!result.success) throw new Error(`${name} answered ${status} with a body that is not its documented error reply:\n${z.prettifyError(result.error)}`);
    if (!documented && (!contentType?.startsWith("application/problem+json") || (json as { status?: number }).status !== status)) {
      throw new Error(`${name} answered ${status} as ${contentType}; errors are application/problem+json carrying their status.`);
    }
    return;
  }
  if (status < 200 || status > 299) return;
  const isJson = contentType !== null && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
  if (!op) {
    if (isJson) throw new Error(`${name} answered ${status} with JSON, but no operation of the route list (app/api/routes.ts) serves that path.`);
    return;
  }
  const otherSuccess = op.doc.other?.[String(status)];
  if (otherSuccess) {
    const result = otherSuccess.schema.safeParse(json);
    if (!result.success) throw new Error(`${name} (${status}) does not match its documented reply:\n${z.prettifyError(result.error)}`);
    return;
  }
  if (status !== successStatus(op)) throw new Error(`${name} answered ${status}; the OpenAPI document says ${successStatus(op)}.`);
  if (!isJson) {
    const documented = status === 204 ? null : (op.doc.produces?.split(";")[0] ?? "application/json");
    const actual = contentType?.split(";")[0]?.trim() ?? null;
    if (actual?.toLowerCase() !== documented?.toLowerCase()) throw new Error(`${name} answered ${status} as ${actual ?? "no body"}; the OpenAPI document says ${documented ?? "no body"}.`);
    return;
  }
  if (!op.doc.response) throw new Error(`${name} answers JSON but documents no reply: give its route's \`doc\` a \`response\` schema (lib/contract).`);
  const result = op.doc.response.safeParse(json);
  if (!result.success) {
    throw new Error(`${name} (${status}) does not match its documented response schema (lib/contract):\n${z.prettifyError(result.error)}`);
  }
  checkedOperations.add(`${op.method} ${op.path}`);
}

async function user(email: string, memberships: { orgId: string; role: "ADMIN" | "MEMBER" }[], platformAdmin = false) {
  const u = await prisma().user.create({ data: { id: `u_${email}`, email, name: email, platformAdmin } });
  for (const m of memberships) await prisma().membership.create({ data: { userId: u.id, orgId: m.orgId, role: m.role } });
  return (await mintToken(prisma(), { kind: "USER", name: email, userId: u.id })).token;
}

export type Role = "anonymous" | "memberA" | "adminA" | "memberB" | "platformAdmin" | "workerA";

/** Two orgs with a member and an admin each, a platform admin, and a worker scoped to org A. */
export async function apiWorld(tag: string) {
  const a = await org({ name: `A ${tag}` });
  const b = await org({ name: `B ${tag}` });
  const tokens: Record<Role, string | null> = {
    anonymous: null,
    memberA: await user(`member-a-${tag}@test.dev`, [{ orgId: a.id, role: "MEMBER" }]),
    adminA: await user(`admin-a-${tag}@test.dev`, [{ orgId: a.id, role: "ADMIN" }]),
    memberB: await user(`member-b-${tag}@test.dev`, [{ orgId: b.id, role: "MEMBER" }]),
    platformAdmin: (await mintToken(prisma(), { kind: "PLATFORM_ADMIN", name: `ops-${tag}` })).token,
    workerA: (await mintToken(prisma(), { kind: "WORKER", name: `worker-${tag}`, orgId: a.id })).token,
  };
  return { a, b, tokens, db };
}
