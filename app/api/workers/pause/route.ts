import { authorize, route } from "@/lib/api/route";
import { ownWorker, pauseBody } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { pauseExecution } from "@/lib/dispatch/pause-resume";

export const dynamic = "force-dynamic";

/** The execution waits (approval, delay): it keeps or frees its slot per max_paused_slots. */
export const POST = route({
  auth: "required",
  body: pauseBody,
  handler: async ({ principal, body }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return pauseExecution(pool(), { executionId: body.executionId, leaseToken: body.leaseToken, workerId: worker.id });
  },
});
