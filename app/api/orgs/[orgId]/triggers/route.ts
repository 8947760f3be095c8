import { authorize, route } from "@/lib/api/route";
import { created, orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { createTrigger, listTriggers, triggerCreate } from "@/lib/flows/triggers";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  params: orgParams,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return listTriggers(prisma(), params.orgId);
  },
});

export const POST = route({
  auth: "required",
  params: orgParams,
  body: triggerCreate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return created(await createTrigger(prisma(), params.orgId, body, actorOf(principal)));
  },
});
