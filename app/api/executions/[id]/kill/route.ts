import { route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { killed } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { killExecution } from "@/lib/dispatch/kill";
import { unsafeExecutionOrg } from "@/lib/executions/get-execution";

export const dynamic = "force-dynamic";

/** Frees the slot at once and kills every live descendant; workers learn it on their next heartbeat. */
export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => unsafeExecutionOrg(pool(), params.id), "Execution"),
  params: idParams,
  doc: { summary: "Kill an execution and its descendants; frees the slot at once", response: killed },
  handler: ({ principal, grant, params }) => killExecution(pool(), { executionId: params.id, actor: actorOf(principal), orgId: grant.orgId }),
});
