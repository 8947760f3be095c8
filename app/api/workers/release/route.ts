import { authorize, route } from "@/lib/api/route";
import { ownWorker, releaseBody, leaseReply } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { releaseExecutions } from "@/lib/dispatch/release";

export const dynamic = "force-dynamic";

/**
 * Hand executions back unfinished (a worker shutting down): QUEUED again at their old place,
 * the slot freed at once, no attempt spent. Current lease holder only (else lease_lost / killed; 409 when nothing was accepted).
 */
export const POST = route({
  auth: "required",
  body: releaseBody,
  handler: async ({ principal, body, requestId }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return leaseReply(await releaseExecutions(pool(), { workerId: worker.id, orgId: worker.orgId, leases: body.leases, reason: body.reason }), requestId);
  },
});
