import { authorize, route } from "@/lib/api/route";
import { completeBody, ownWorker, leaseReply } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { completeExecutions } from "@/lib/dispatch/claim";

export const dynamic = "force-dynamic";

/** Report outcomes; only the current lease holder's report counts, exactly once (else lease_lost / killed; 409 when nothing was accepted). */
export const POST = route({
  auth: "required",
  maxBodyBytes: 1024 * 1024,
  body: completeBody,
  handler: async ({ principal, body, requestId }) => {
    authorize(principal, { worker: true });
    const worker = await ownWorker(principal, body.workerId);
    return leaseReply(await completeExecutions(pool(), worker.id, body.outcomes), requestId);
  },
});
