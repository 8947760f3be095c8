import { orgIdOrOnly } from "@/lib/api/needs";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { json } from "@/lib/api/reply";
import { executionPage, submitted } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { submitExecution } from "@/lib/dispatch/submit";
import { listExecutions, listExecutionsQuery } from "@/lib/executions/list-executions";
import { submitBody } from "@/lib/executions/submit-schema";

export const dynamic = "force-dynamic";

/**
 * Submit: 201 with the execution's id, state and reason (QUEUED, or CANCELLED / FAILED when
 * its flow's limit is reached with behavior CANCEL / FAIL); 200 with an existing execution
 * when an idempotency key or debounce folded it in; 409 trigger_locked while the trigger has
 * a live run; 429 backlog_full (with Retry-After) at a backlog cap (docs/limits.md).
 */
export const POST = route({
  need: (who) => who.orgExecutions(({ principal, body }) => orgIdOrOnly(principal, body.orgId), { readsBody: true }),
  body: submitBody,
  doc: {
    summary: "Submit an execution (201; 200 for an idempotency key's repeat or a debounced one; 409 trigger_locked; 429 backlog_full)",
    response: submitted,
    status: 201,
    errors: [409, 429],
    other: { "200": { description: "nothing created: the existing execution (deduplicatedBy says why)", schema: submitted } },
  },
  handler: async ({ principal, grant, body }) => {
    const result = await submitExecution(pool(), { ...body, orgId: grant.orgId, submittedBy: actorOf(principal) });
    return json({ ...result, startAfter: result.startAfter?.toISOString() ?? null }, { status: result.deduplicatedBy ? 200 : 201 });
  },
});

export const GET = route({
  need: (who) => who.orgExecutionsOrScope(({ query }) => query.orgId),
  query: listExecutionsQuery,
  doc: { summary: "List executions (filters, keyset pagination)", response: executionPage, errors: [400] },
  handler: ({ grant, query }) => listExecutions(pool(), grant.scope, query),
});
