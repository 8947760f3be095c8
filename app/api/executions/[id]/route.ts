import { authorize, route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf, orgScope } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { notFound } from "@/lib/core/errors";
import { getExecution, unsafeExecutionOrg } from "@/lib/executions/get-execution";
import { deleteExecution } from "@/lib/dispatch/kill";

export const dynamic = "force-dynamic";

/** Detail with the transition history and, while queued, why it waits. */
export const GET = route({
  auth: "required",
  params: idParams,
  handler: async ({ principal, params }) => getExecution(pool(), params.id, orgScope(principal)),
});

/** Deleting a live execution kills it (and its descendants) first. */
export const DELETE = route({
  auth: "required",
  params: idParams,
  handler: async ({ principal, params }) => {
    const orgId = await unsafeExecutionOrg(pool(), params.id);
    if (!orgId) throw notFound("Execution");
    authorize(principal, { orgAdmin: orgId });
    return deleteExecution(pool(), { executionId: params.id, actor: actorOf(principal), orgId });
  },
});
