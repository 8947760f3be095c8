import { route } from "@/lib/api/route";
import { completed } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { completeExecutions } from "@/lib/dispatch/claim";
import { completeBody, leaseReply } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/** Report outcomes; only the current lease holder's report counts, exactly once (else lease_lost / killed; 409 when nothing was accepted). */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  maxBodyBytes: 1024 * 1024,
  body: completeBody,
  doc: { summary: "Report SUCCESS / FAILED (current lease holder only, exactly once)", response: completed, errors: [409] },
  handler: async ({ grant, body, requestId }) => leaseReply(await completeExecutions(pool(), grant.worker.id, body.outcomes), requestId),
});
