import { route } from "@/lib/api/route";
import { resumed } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { resumeExecution } from "@/lib/dispatch/pause-resume";
import { resumeBody } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/**
 * Resume a paused execution: RUNNING at once (leased to this worker) if it still holds its
 * slot, else QUEUED ahead of new work so it passes every cap again.
 */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  body: resumeBody,
  doc: { summary: "Resume a paused execution", response: resumed, errors: [409] },
  handler: ({ grant, body }) => resumeExecution(pool(), { executionId: body.executionId, by: { workerId: grant.worker.id }, orgId: grant.worker.orgId }),
});
