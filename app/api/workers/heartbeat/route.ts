import { route } from "@/lib/api/route";
import { heartbeats } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { heartbeatExecutions } from "@/lib/dispatch/heartbeat";
import { heartbeatBody, leaseReply } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/** Extends leases; `killed` / `lease_lost` tell the worker to stop that execution. */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  body: heartbeatBody,
  doc: { summary: "Extend leases; tells the worker which executions were killed or lost", response: heartbeats, errors: [409] },
  handler: async ({ grant, body, requestId }) => leaseReply(await heartbeatExecutions(pool(), grant.worker.id, body.leases), requestId),
});
