import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { queue } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { deleteQueue, queueUpdate, updateQueue } from "@/lib/queues/queues";

export const dynamic = "force-dynamic";

const params = orgChildParams("queueId");

export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: queueUpdate,
  doc: { summary: "Update a queue", response: queue, errors: [409] },
  handler: ({ principal, params, body }) => updateQueue(prisma(), params.orgId, params.queueId, body, actorOf(principal)),
});

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Delete an unused queue", status: 204, errors: [409] },
  handler: ({ principal, params }) => deleteQueue(prisma(), params.orgId, params.queueId, actorOf(principal)),
});
