import { route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { executionDetail, killed } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { deleteExecution } from "@/lib/dispatch/kill";
import { getExecution, unsafeExecutionOrg } from "@/lib/executions/get-execution";

export const dynamic = "force-dynamic";

/** Detail with the transition history and, while queued, why it waits. */
export const GET = route({
  need: (who) => who.orgExecutions(({ params }) => unsafeExecutionOrg(pool(), params.id), { what: "Execution" }),
  params: idParams,
  doc: { summary: "Execution detail with transition history and explain", response: executionDetail },
  handler: ({ grant, params }) => getExecution(pool(), params.id, [grant.orgId]),
});

/** Deleting a live execution kills it (and its descendants) first. */
export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => unsafeExecutionOrg(pool(), params.id), "Execution"),
  params: idParams,
  doc: { summary: "Delete (kills a live execution and its descendants first)", response: killed },
  handler: ({ principal, grant, params }) => deleteExecution(pool(), { executionId: params.id, actor: actorOf(principal), orgId: grant.orgId }),
});
