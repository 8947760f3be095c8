import { prisma } from "../../../lib/db/client";
import { mintToken } from "../../../lib/auth/tokens";
import { db, org } from "./fixtures";

/**
 * Calls route handlers in-process (the same exported functions Next.js serves) with real
 * requests, against the per-file test database.
 */
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
  // Tests assert on reply shapes field by field; an untyped body keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, json: json as any, text };
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
