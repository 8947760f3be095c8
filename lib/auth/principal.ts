import { prisma } from "../db/client";
import { forbidden, notFound, unauthenticated } from "../core/errors";
import { auth } from "./auth";
import { verifyToken } from "./tokens";

// Who is calling, and the one authorization check every route handler uses. Roles: platform
// admin, org admin, org member, worker. A caller with no relation to an org gets 404 for it
// (its existence is not revealed); one who belongs but lacks the role gets 403.

export type OrgRole = "ADMIN" | "MEMBER";

export type Principal =
  | { kind: "user"; userId: string; email: string; name: string; platformAdmin: boolean; memberships: { orgId: string; role: OrgRole }[] }
  | { kind: "platform_token"; tokenId: string; name: string }
  | { kind: "worker"; tokenId: string; name: string; orgId: string | null };

async function userPrincipal(userId: string): Promise<Principal | null> {
  const user = await prisma().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, platformAdmin: true, memberships: { select: { orgId: true, role: true } } },
  });
  if (!user) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name, platformAdmin: user.platformAdmin, memberships: user.memberships };
}

/** From a request (route handlers) or the incoming headers (server components). */
export async function authenticate(request: { headers: Headers }): Promise<Principal | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? await verifyToken(prisma(), match[1]!) : null;
    if (!token) return null;
    if (token.kind === "PLATFORM_ADMIN") return { kind: "platform_token", tokenId: token.id, name: token.name };
    if (token.kind === "WORKER") return { kind: "worker", tokenId: token.id, name: token.name, orgId: token.orgId };
    return token.userId ? userPrincipal(token.userId) : null;
  }
  const session = await auth().api.getSession({ headers: request.headers });
  return session ? userPrincipal(session.user.id) : null;
}

export type Need =
  | { platformAdmin: true }
  /** Read an org's data: its members, its admins, platform admins. */
  | { orgMember: string }
  /** Change an org's configuration, kill its executions: its admins, platform admins. */
  | { orgAdmin: string }
  /** Submit or read an org's executions: its members and admins, platform admins, and workers scoped to the org (as `orgScope`). */
  | { orgExecutions: string }
  /** The worker API: worker tokens only; with an org id, only tokens scoped to that org (or to all orgs). */
  | { worker: true | string };

export function isPlatformAdmin(p: Principal): boolean {
  return p.kind === "platform_token" || (p.kind === "user" && p.platformAdmin);
}

function roleIn(p: Principal, orgId: string): OrgRole | null {
  return p.kind === "user" ? (p.memberships.find((m) => m.orgId === orgId)?.role ?? null) : null;
}

export function authorize(principal: Principal | null, need: Need): asserts principal is Principal {
  if (!principal) throw unauthenticated();
  if ("worker" in need) {
    if (principal.kind !== "worker") throw forbidden("This endpoint is for worker tokens.");
    if (need.worker !== true && principal.orgId !== null && principal.orgId !== need.worker) throw notFound("Organization");
    return;
  }
  if ("platformAdmin" in need) {
    if (!isPlatformAdmin(principal)) throw forbidden("Only platform administrators can do this.");
    return;
  }
  if (isPlatformAdmin(principal)) return;
  if ("orgExecutions" in need && principal.kind === "worker") {
    if (principal.orgId === null || principal.orgId === need.orgExecutions) return;
    throw notFound("Organization");
  }
  const orgId = "orgMember" in need ? need.orgMember : "orgAdmin" in need ? need.orgAdmin : need.orgExecutions;
  const role = roleIn(principal, orgId);
  if (!role) throw notFound("Organization");
  if ("orgAdmin" in need && role !== "ADMIN") throw forbidden("Only administrators of this organization can do this.");
}

/** May change this org's configuration, kill its executions and read its audit log: its admins and platform admins (as `authorize({ orgAdmin })`). */
export function isOrgAdmin(p: Principal, orgId: string): boolean {
  return isPlatformAdmin(p) || roleIn(p, orgId) === "ADMIN";
}

/** The orgs whose data this principal may read. */
export function orgScope(principal: Principal): string[] | "all" {
  if (isPlatformAdmin(principal)) return "all";
  if (principal.kind === "worker") return principal.orgId === null ? "all" : [principal.orgId];
  return principal.kind === "user" ? principal.memberships.map((m) => m.orgId) : [];
}

/** How the audit log and transition history name this caller. */
export function actorOf(principal: Principal): string {
  if (principal.kind === "user") return principal.email;
  return `${principal.kind === "worker" ? "worker" : "token"}:${principal.name}`;
}
