import { authorize, route } from "@/lib/api/route";
import { created } from "@/lib/api/params";
import { resolveOrgId } from "@/lib/api/resolve-org";
import { actorOf, orgScope } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { listExecutions, listExecutionsQuery } from "@/lib/executions/list-executions";
import { submitBody } from "@/lib/executions/submit-schema";
import { submitExecution } from "@/lib/dispatch/submit";

export const dynamic = "force-dynamic";

/**
 * Submit: 201 with the execution's id, state and reason (QUEUED, or CANCELLED / FAILED when
 * its flow's limit is reached with behavior CANCEL / FAIL); 409 trigger_locked while the
 * trigger has a live run.
 */
export const POST = route({
  auth: "required",
  body: submitBody,
  handler: async ({ principal, body }) => {
    const orgId = resolveOrgId(principal, body.orgId);
    authorize(principal, { orgExecutions: orgId });
    return created(await submitExecution(pool(), { ...body, orgId, submittedBy: actorOf(principal) }));
  },
});

export const GET = route({
  auth: "required",
  query: listExecutionsQuery,
  handler: async ({ principal, query }) => {
    if (query.orgId) authorize(principal, { orgExecutions: query.orgId });
    return listExecutions(pool(), orgScope(principal), query);
  },
});
