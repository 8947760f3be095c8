import { authorize, route } from "@/lib/api/route";
import { created, orgParams, projectFilterQuery } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { createFlow, flowCreate } from "@/lib/flows/flows";
import { prisma } from "@/lib/db/client";
import { listFlowsWithActivity } from "@/lib/flows/list-flows";

export const dynamic = "force-dynamic";

/** Every flow with its slots held and executions queued right now. */
export const GET = route({
  auth: "required",
  params: orgParams,
  query: projectFilterQuery,
  handler: async ({ principal, params, query }) => {
    authorize(principal, { orgMember: params.orgId });
    return listFlowsWithActivity(prisma(), params.orgId, query.projectId);
  },
});

export const POST = route({
  auth: "required",
  params: orgParams,
  body: flowCreate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return created(await createFlow(prisma(), params.orgId, body, actorOf(principal)));
  },
});
