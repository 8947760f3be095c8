import { authorize, route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleteFlow, flowUpdate, updateFlow } from "@/lib/flows/flows";
import { getFlowWithActivity } from "@/lib/flows/list-flows";
import { pool, prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const params = orgChildParams("flowId");

export const GET = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return getFlowWithActivity(prisma(), params.orgId, params.flowId);
  },
});

/** Limit and behavior changes apply at the next dispatch to everything already queued. */
export const PATCH = route({
  auth: "required",
  params,
  body: flowUpdate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return updateFlow(prisma(), params.orgId, params.flowId, body, actorOf(principal));
  },
});

export const DELETE = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return deleteFlow(pool(), params.orgId, params.flowId, actorOf(principal));
  },
});
