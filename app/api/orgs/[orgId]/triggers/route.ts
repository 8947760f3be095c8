import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { trigger } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createTrigger, listTriggers, triggerCreate } from "@/lib/flows/triggers";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "List triggers", response: z.array(trigger) },
  handler: ({ params }) => listTriggers(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: triggerCreate,
  doc: { summary: "Create a trigger", response: trigger, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createTrigger(prisma(), params.orgId, body, actorOf(principal)),
});
