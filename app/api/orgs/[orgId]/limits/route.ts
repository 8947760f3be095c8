import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { orgLimits } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { getOrgLimits, orgLimitsUpdate, updateOrgLimits } from "@/lib/orgs/limits";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "The org's rate limit and backlog cap, with what waits now", response: orgLimits },
  handler: ({ params }) => getOrgLimits(prisma(), params.orgId),
});

/** Applies at the next claim (rate) and the next submission (backlog cap). */
export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: orgLimitsUpdate,
  doc: { summary: "Set the org's rate limit and backlog cap", response: orgLimits },
  handler: ({ principal, params, body }) => updateOrgLimits(prisma(), params.orgId, body, actorOf(principal)),
});
