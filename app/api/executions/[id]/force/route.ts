import { z } from "zod";
import { route } from "@/lib/api/route";
import { idParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { forcedReply } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { forceExecution } from "@/lib/dispatch/force";
import { unsafeExecutionOrg } from "@/lib/executions/get-execution";

export const dynamic = "force-dynamic";

const forceBody = z.strictObject({
  reason: z.string().trim().min(1, "say why: it goes into the history and the audit log").max(500),
});

/**
 * Break-glass: start a QUEUED execution at the next claim of a worker serving its queue,
 * ignoring caps (docs/lifecycle.md, "Run now"). 409 not_queued, already_forced, holds_slot, or
 * forced_limit (maxForcedPerOrg forced executions are live in the org).
 */
export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => unsafeExecutionOrg(pool(), params.id), "Execution"),
  params: idParams,
  body: forceBody,
  doc: { summary: "Run a queued execution now, ignoring caps, with a reason (409 not_queued, already_forced, forced_limit, holds_slot)", response: forcedReply, errors: [409] },
  handler: async ({ principal, grant, params, body }) => {
    const result = await forceExecution(pool(), { executionId: params.id, orgId: grant.orgId, actor: actorOf(principal), reason: body.reason });
    return { ...result, forced: { ...result.forced, at: result.forced.at.toISOString() } };
  },
});
