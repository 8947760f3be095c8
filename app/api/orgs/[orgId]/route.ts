import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleted, organization } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { deleteOrg, getOrg, orgRename, renameOrg } from "@/lib/orgs/orgs";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "An organization's name, slug, weight and cap", response: organization },
  handler: ({ params }) => getOrg(prisma(), params.orgId),
});

export const PATCH = route({
  need: (who) => who.platformAdmin(),
  params: orgParams,
  body: orgRename,
  doc: { summary: "Rename an organization (name and/or slug)", response: organization, errors: [409] },
  handler: ({ principal, params, body }) => renameOrg(prisma(), params.orgId, body, actorOf(principal)),
});

/** Cancels the org's queued executions and kills its running and paused ones first. */
export const DELETE = route({
  need: (who) => who.platformAdmin(),
  params: orgParams,
  doc: { summary: "Delete an organization with everything it owns (its live executions are cancelled or killed first)", response: deleted },
  handler: ({ principal, params }) => deleteOrg(pool(), params.orgId, actorOf(principal)),
});
