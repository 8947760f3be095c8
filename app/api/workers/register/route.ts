import { authorize, route } from "@/lib/api/route";
import { created } from "@/lib/api/params";
import { registerBody } from "@/lib/workers/protocol";
import { pool } from "@/lib/db/client";
import { registerWorker } from "@/lib/workers/registry";

export const dynamic = "force-dynamic";

/** A worker process announces itself once; its id goes with every later call. */
export const POST = route({
  auth: "required",
  body: registerBody,
  handler: async ({ principal, body }) => {
    authorize(principal, { worker: true });
    if (principal.kind !== "worker") throw new Error("unreachable");
    const worker = await registerWorker(pool(), { name: body.name, queues: body.queues, orgId: principal.orgId, tokenId: principal.tokenId });
    return created({ workerId: worker.id, orgId: principal.orgId, queues: body.queues });
  },
});
