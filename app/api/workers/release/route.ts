import { route } from "@/lib/api/route";
import { released } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { releaseExecutions } from "@/lib/dispatch/release";
import { leaseReply, releaseBody } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/**
 * Hand executions back unfinished (a worker shutting down): QUEUED again at their old place,
 * the slot freed at once, no attempt spent. Current lease holder only (else lease_lost / killed; 409 when nothing was accepted).
 */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  body: releaseBody,
  doc: { summary: "Hand executions back unfinished: QUEUED again at their old place, slot freed, no attempt spent (current lease holder only)", response: released, errors: [409] },
  handler: async ({ grant, body, requestId }) =>
    leaseReply(await releaseExecutions(pool(), { workerId: grant.worker.id, orgId: grant.worker.orgId, leases: body.leases, reason: body.reason }), requestId),
});
