import { authorize, route } from "@/lib/api/handler";
import { ownWorker, heartbeatBody, leaseReply } from "@/lib/api/worker-context";
import { pool } from "@/lib/db/client";
import { heartbeatExecutions } from "@/lib/scheduler/heartbeat-executions";

export const dynamic = "force-dynamic";

/** Extends leases; `killed` / `lease_lost` tell the worker to stop that execution. */
export const POST = route({
  auth: "required",
  body: heartbeatBody,
  handler: async ({ principal, body, requestId }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return leaseReply(await heartbeatExecutions(pool(), worker.id, body.leases), requestId);
  },
});
