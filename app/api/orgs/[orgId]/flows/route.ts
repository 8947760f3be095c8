import { authorize, route } from "@/lib/api/handler";
import { created, orgParams, projectFilterQuery } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { createFlow, flowCreate, listFlows } from "@/lib/config/flows";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  params: orgParams,
  query: projectFilterQuery,
  handler: async ({ principal, params, query }) => {
    authorize(principal, { orgMember: params.orgId });
    return listFlows(prisma(), params.orgId, query.projectId);
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
