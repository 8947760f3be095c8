import { orgIdOrOnly } from "@/lib/api/needs";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { executionPage, submitted } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { submitExecution } from "@/lib/dispatch/submit";
import { listExecutions, listExecutionsQuery } from "@/lib/executions/list-executions";
import { submitBody } from "@/lib/executions/submit-schema";

export const dynamic = "force-dynamic";

/**
 * Submit: 201 with the execution's id, state and reason (QUEUED, or CANCELLED / FAILED when
 * its flow's limit is reached with behavior CANCEL / FAIL); 409 trigger_locked while the
 * trigger has a live run.
 */
export const POST = route({
  need: (who) => who.orgExecutions(({ principal, body }) => orgIdOrOnly(principal, body.orgId), { readsBody: true }),
  body: submitBody,
  doc: { summary: "Submit an execution (201; 409 trigger_locked)", response: submitted, status: 201, errors: [409] },
  handler: ({ principal, grant, body }) => submitExecution(pool(), { ...body, orgId: grant.orgId, submittedBy: actorOf(principal) }),
});

export const GET = route({
  need: (who) => who.orgExecutionsOrScope(({ query }) => query.orgId),
  query: listExecutionsQuery,
  doc: { summary: "List executions (filters, keyset pagination)", response: executionPage, errors: [400] },
  handler: ({ grant, query }) => listExecutions(pool(), grant.scope, query),
});
