import { authorize, isPlatformAdmin, orgScope, type Principal } from "../auth/principal";
import { forbidden, notFound, unauthenticated, validationFailed } from "../core/errors";
import { ownedWorker, type OwnedWorker } from "../workers/registry";
import { pool } from "../db/client";

// Who may call a route, declared next to its schemas (docs/api.md, "Who may call"): every
// route() names one Need, which the wrapper checks before the handler runs and whose grant
// (the org the request is about, the caller's worker, …) the handler receives. The OpenAPI
// document and the authorization matrix test read `who` from the same declaration, so no
// endpoint can be left out of either.

export type Who =
  | "anyone"
  | "embedding JWT"
  | "signed in"
  | "platform admin"
  | "org member"
  | "org admin"
  | "org admin or platform admin"
  | "org member or worker"
  | "worker";

export interface NeedContext<P = unknown, Q = unknown, B = unknown> {
  principal: Principal;
  params: P;
  query: Q;
  body: B;
}

/** What the wrapper hands a need: the principal (null when none authenticated) and the parsed request. */
export interface GrantInput {
  principal: Principal | null;
  params: unknown;
  query: unknown;
  body: unknown;
}

export interface Need<G = unknown, A extends boolean = boolean> {
  readonly who: Who;
  /** Needs no credentials: nobody is looked up, and the handler sees no principal. */
  readonly anonymous: A;
  /** The grant needs the parsed body (the worker id, the org of a submission): parse it first. */
  readonly readsBody: boolean;
  /** What can be checked before the body is read (the kind of caller), so an outsider learns nothing of the body's rules. */
  admits?(principal: Principal | null): void;
  grant(ctx: GrantInput): Promise<G> | G;
}

/** The org a request is about, or null when the thing it names does not exist. */
type OrgPick<P, Q, B> = (ctx: NeedContext<P, Q, B>) => string | null | Promise<string | null>;

export interface OrgGrant {
  orgId: string;
}

/** The orgs whose data the caller may read in this request. */
export interface ScopeGrant {
  scope: string[] | "all";
}

function signedInPrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  return principal;
}

function orgNeed<P, Q, B>(who: Who, role: "orgMember" | "orgAdmin" | "orgExecutions", pick: OrgPick<P, Q, B>, what: string, readsBody: boolean): Need<OrgGrant, false> {
  return {
    who,
    anonymous: false,
    readsBody,
    async grant(ctx) {
      const principal = signedInPrincipal(ctx.principal);
      const orgId = await pick({ ...ctx, principal } as NeedContext<P, Q, B>);
      if (!orgId) throw notFound(what);
      authorize(principal, { [role]: orgId } as { orgMember: string });
      return { orgId };
    },
  };
}

export interface NeedBuilder<P, Q, B> {
  /** No credentials needed. */
  anyone(): Need<object, true>;
  /** A JWT signed with the embedding key; the handler verifies it. */
  embeddingToken(): Need<object, true>;
  /** Any principal; what it reads is scoped to its orgs (grant.scope). */
  signedIn(): Need<ScopeGrant, false>;
  platformAdmin(): Need<object, false>;
  orgMember(pick: OrgPick<P, Q, B>, what?: string): Need<OrgGrant, false>;
  orgAdmin(pick: OrgPick<P, Q, B>, what?: string): Need<OrgGrant, false>;
  /** Members, admins and platform admins of the org, and workers scoped to it (or to every org). */
  orgExecutions(pick: OrgPick<P, Q, B>, options?: { what?: string; readsBody?: boolean }): Need<OrgGrant, false>;
  /** As orgExecutions for the org picked, or every org the caller may read when none is picked. */
  orgExecutionsOrScope(pick: (ctx: NeedContext<P, Q, B>) => string | undefined): Need<ScopeGrant, false>;
  /** Admins read their orgs', platform admins every org's; one org when picked. */
  orgAdminsOrScope(pick: (ctx: NeedContext<P, Q, B>) => string | undefined): Need<ScopeGrant, false>;
  /** A worker token, any. */
  workerToken(): Need<{ tokenId: string; orgId: string | null }, false>;
  /** A worker token acting as a worker it registered (the id comes from the body). */
  ownWorker(pick: (ctx: NeedContext<P, Q, B>) => string): Need<{ worker: OwnedWorker }, false>;
}

const builder: NeedBuilder<unknown, unknown, unknown> = {
  anyone: () => ({ who: "anyone", anonymous: true, readsBody: false, grant: () => ({}) }),
  embeddingToken: () => ({ who: "embedding JWT", anonymous: true, readsBody: false, grant: () => ({}) }),
  signedIn: () => ({
    who: "signed in",
    anonymous: false,
    readsBody: false,
    grant: ({ principal }) => ({ scope: orgScope(signedInPrincipal(principal)) }),
  }),
  platformAdmin: () => ({
    who: "platform admin",
    anonymous: false,
    readsBody: false,
    grant: ({ principal }) => {
      authorize(signedInPrincipal(principal), { platformAdmin: true });
      return {};
    },
  }),
  orgMember: (pick, what = "Organization") => orgNeed("org member", "orgMember", pick, what, false),
  orgAdmin: (pick, what = "Organization") => orgNeed("org admin", "orgAdmin", pick, what, false),
  orgExecutions: (pick, options = {}) => orgNeed("org member or worker", "orgExecutions", pick, options.what ?? "Organization", options.readsBody ?? false),
  orgExecutionsOrScope: (pick) => ({
    who: "org member or worker",
    anonymous: false,
    readsBody: false,
    grant(ctx) {
      const principal = signedInPrincipal(ctx.principal);
      const orgId = pick({ ...ctx, principal });
      if (orgId === undefined) return { scope: orgScope(principal) };
      authorize(principal, { orgExecutions: orgId });
      return { scope: [orgId] };
    },
  }),
  orgAdminsOrScope: (pick) => ({
    who: "org admin or platform admin",
    anonymous: false,
    readsBody: false,
    grant(ctx) {
      const principal = signedInPrincipal(ctx.principal);
      const orgId = pick({ ...ctx, principal });
      if (orgId !== undefined) {
        authorize(principal, { orgAdmin: orgId });
        return { scope: [orgId] };
      }
      if (isPlatformAdmin(principal)) return { scope: "all" };
      const admin = principal.kind === "user" ? principal.memberships.filter((m) => m.role === "ADMIN").map((m) => m.orgId) : [];
      if (admin.length === 0) throw forbidden("Only organization and platform administrators can do this.");
      return { scope: admin };
    },
  }),
  workerToken: () => ({
    who: "worker",
    anonymous: false,
    readsBody: false,
    grant: ({ principal }) => {
      const p = signedInPrincipal(principal);
      authorize(p, { worker: true });
      if (p.kind !== "worker") throw forbidden("This endpoint is for worker tokens.");
      return { tokenId: p.tokenId, orgId: p.orgId };
    },
  }),
  ownWorker: (pick) => ({
    who: "worker",
    anonymous: false,
    readsBody: true,
    admits: (principal) => authorize(signedInPrincipal(principal), { worker: true }),
    async grant(ctx) {
      const principal = signedInPrincipal(ctx.principal);
      authorize(principal, { worker: true });
      if (principal.kind !== "worker") throw forbidden("This endpoint is for worker tokens.");
      return { worker: await ownedWorker(pool(), principal.tokenId, pick({ ...ctx, principal })) };
    },
  }),
};

export function needBuilder<P, Q, B>(): NeedBuilder<P, Q, B> {
  return builder as unknown as NeedBuilder<P, Q, B>;
}

/**
 * Endpoints whose paths name no org (the lifecycle-management paths) take `orgId`; a
 * caller who belongs to exactly one org may leave it out.
 */
export function orgIdOrOnly(principal: Principal, orgId: string | undefined): string {
  if (orgId) return orgId;
  const scope = orgScope(principal);
  if (scope !== "all" && scope.length === 1) return scope[0]!;
  throw validationFailed([{ field: "orgId", message: "required: you have access to more than one organization" }]);
}
