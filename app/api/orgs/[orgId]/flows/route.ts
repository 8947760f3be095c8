import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams, projectFilterQuery } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { flow } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createFlow, flowCreate } from "@/lib/flows/flows";
import { listFlowsWithActivity } from "@/lib/flows/list-flows";

export const dynamic = "force-dynamic";

/** Every flow with its slots held and executions queued right now. */
export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  query: projectFilterQuery,
  doc: { summary: "List flows with their slots held (activeSlots) and executions queued now", response: z.array(flow) },
  handler: ({ params, query }) => listFlowsWithActivity(prisma(), params.orgId, query.projectId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: flowCreate,
  doc: { summary: "Create a flow with concurrency {limit, behavior}", response: flow, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createFlow(prisma(), params.orgId, body, actorOf(principal)),
});
