import { route } from "@/lib/api/route";
import { registered } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { registerBody } from "@/lib/workers/protocol";
import { registerWorker } from "@/lib/workers/registry";

export const dynamic = "force-dynamic";

/** A worker process announces itself once; its id goes with every later call. */
export const POST = route({
  need: (who) => who.workerToken(),
  body: registerBody,
  doc: { summary: "Register a worker process", response: registered, status: 201 },
  handler: async ({ grant, body }) => {
    const worker = await registerWorker(pool(), { name: body.name, queues: body.queues, orgId: grant.orgId, tokenId: grant.tokenId, concurrency: body.concurrency ?? null });
    return { workerId: worker.id, orgId: grant.orgId, queues: body.queues };
  },
});
