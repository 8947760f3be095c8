import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { queue } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createQueue, listQueues, queueCreate } from "@/lib/queues/queues";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "List queues", response: z.array(queue) },
  handler: ({ params }) => listQueues(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: queueCreate,
  doc: { summary: "Create a queue", response: queue, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createQueue(prisma(), params.orgId, body, actorOf(principal)),
});
