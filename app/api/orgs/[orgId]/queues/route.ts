import { authorize, route } from "@/lib/api/route";
import { created, orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { createQueue, listQueues, queueCreate } from "@/lib/queues/queues";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  params: orgParams,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return listQueues(prisma(), params.orgId);
  },
});

export const POST = route({
  auth: "required",
  params: orgParams,
  body: queueCreate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return created(await createQueue(prisma(), params.orgId, body, actorOf(principal)));
  },
});
