import { authorize, route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { notFound } from "@/lib/core/errors";
import { unsafeExecutionOrg } from "@/lib/executions/get-execution";
import { killExecution } from "@/lib/dispatch/kill";

export const dynamic = "force-dynamic";

/** Frees the slot at once and kills every live descendant; workers learn it on their next heartbeat. */
export const POST = route({
  auth: "required",
  params: idParams,
  handler: async ({ principal, params }) => {
    const orgId = await unsafeExecutionOrg(pool(), params.id);
    if (!orgId) throw notFound("Execution");
    authorize(principal, { orgAdmin: orgId });
    return killExecution(pool(), { executionId: params.id, actor: actorOf(principal), orgId });
  },
});
