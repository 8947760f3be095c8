import { route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { json } from "@/lib/api/reply";
import { actorOf } from "@/lib/auth/principal";
import { submitted } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { rerunExecution } from "@/lib/dispatch/rerun";
import { unsafeExecutionOrg } from "@/lib/executions/get-execution";

export const dynamic = "force-dynamic";

/**
 * Rerun a finished execution: 201 with the new execution (it names the original in
 * `rerunOf`), through full admission like any submission — 409 trigger_locked while its
 * trigger has a live run, 429 backlog_full at a backlog cap, 409 not_finished for a live one.
 */
export const POST = route({
  need: (who) => who.orgExecutions(({ params }) => unsafeExecutionOrg(pool(), params.id), { what: "Execution" }),
  params: idParams,
  doc: { summary: "Rerun a finished execution as a new one, through full admission (201; 409 not_finished or trigger_locked; 429 backlog_full)", response: submitted, status: 201, errors: [409, 429] },
  handler: async ({ principal, grant, params }) => {
    const result = await rerunExecution(pool(), { executionId: params.id, orgId: grant.orgId, actor: actorOf(principal) });
    return json({ ...result, startAfter: result.startAfter?.toISOString() ?? null }, { status: result.deduplicatedBy ? 200 : 201 });
  },
});
