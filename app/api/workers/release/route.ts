import { authorize, route } from "@/lib/api/handler";
import { ownWorker, releaseBody } from "@/lib/api/worker-context";
import { pool } from "@/lib/db/client";
import { releaseExecutions } from "@/lib/scheduler/release-executions";

export const dynamic = "force-dynamic";

/**
 * Hand executions back unfinished (a worker shutting down): QUEUED again at their old place,
 * the slot freed at once, no attempt spent. Current lease holder only (else lease_lost / killed).
 */
export const POST = route({
  auth: "required",
  body: releaseBody,
  handler: async ({ principal, body }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return { results: await releaseExecutions(pool(), { workerId: worker.id, orgId: worker.orgId, leases: body.leases, reason: body.reason }) };
  },
});
