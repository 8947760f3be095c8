import { authorize, route } from "@/lib/api/route";
import { ownWorker, heartbeatBody, leaseReply } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { heartbeatExecutions } from "@/lib/dispatch/heartbeat";

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
