import { authorize, route } from "@/lib/api/route";
import { ownWorker, resumeBody } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { resumeExecution } from "@/lib/dispatch/pause-resume";

export const dynamic = "force-dynamic";

/**
 * Resume a paused execution: RUNNING at once (leased to this worker) if it still holds its
 * slot, else QUEUED ahead of new work so it passes every cap again.
 */
export const POST = route({
  auth: "required",
  body: resumeBody,
  handler: async ({ principal, body }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return resumeExecution(pool(), { executionId: body.executionId, workerId: worker.id, orgId: worker.orgId });
  },
});
