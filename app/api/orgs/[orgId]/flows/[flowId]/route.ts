import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleted, flow } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { deleteFlow, flowUpdate, updateFlow } from "@/lib/flows/flows";
import { getFlowWithActivity } from "@/lib/flows/list-flows";

export const dynamic = "force-dynamic";

const params = orgChildParams("flowId");

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params,
  doc: { summary: "A flow, with its slots held and executions queued now", response: flow },
  handler: ({ params }) => getFlowWithActivity(prisma(), params.orgId, params.flowId),
});

/** Limit and behavior changes apply at the next dispatch to everything already queued. */
export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: flowUpdate,
  doc: { summary: "Update a flow (applies at the next dispatch)", response: flow, errors: [409] },
  handler: ({ principal, params, body }) => updateFlow(prisma(), params.orgId, params.flowId, body, actorOf(principal)),
});

/** Cancels the flow's queued executions and kills its running ones first. */
export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Delete a flow (its live executions are cancelled or killed first)", response: deleted },
  handler: ({ principal, params }) => deleteFlow(pool(), params.orgId, params.flowId, actorOf(principal)),
});
