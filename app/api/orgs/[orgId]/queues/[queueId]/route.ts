import { authorize, route } from "@/lib/api/route";
import { noContent, orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleteQueue, queueUpdate, updateQueue } from "@/lib/queues/queues";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const params = orgChildParams("queueId");

export const PATCH = route({
  auth: "required",
  params,
  body: queueUpdate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return updateQueue(prisma(), params.orgId, params.queueId, body, actorOf(principal));
  },
});

export const DELETE = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgAdmin: params.orgId });
    await deleteQueue(prisma(), params.orgId, params.queueId, actorOf(principal));
    return noContent();
  },
});
