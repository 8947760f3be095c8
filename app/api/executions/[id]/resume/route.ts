import { z } from "zod";
import { route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { resumed } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { resumeExecution } from "@/lib/dispatch/pause-resume";
import { unsafeExecutionOrg } from "@/lib/executions/get-execution";

export const dynamic = "force-dynamic";

const resumeBody = z.strictObject({
  note: z.string().trim().max(500).optional().describe("goes into the history and the audit log"),
});

/**
 * Approve a paused execution, or end its delay early (docs/lifecycle.md, "Pauses"): it goes
 * back to the queue ahead of new work, in the slot it kept if it kept one. 409 not_paused.
 */
export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => unsafeExecutionOrg(pool(), params.id), "Execution"),
  params: idParams,
  body: resumeBody,
  doc: { summary: "Approve or resume a paused execution (409 not_paused)", response: resumed, errors: [409] },
  handler: ({ principal, grant, params, body }) =>
    resumeExecution(pool(), { executionId: params.id, orgId: grant.orgId, by: { actor: actorOf(principal), note: body.note } }),
});
