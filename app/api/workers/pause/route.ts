import { route } from "@/lib/api/route";
import { paused } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { pauseExecution } from "@/lib/dispatch/pause-resume";
import { pauseBody } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/** The execution waits (approval, delay): it keeps or frees its slot per max_paused_slots. */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  body: pauseBody,
  doc: { summary: "Pause a running execution", response: paused, errors: [409] },
  handler: ({ grant, body }) => pauseExecution(pool(), { executionId: body.executionId, leaseToken: body.leaseToken, workerId: grant.worker.id }),
});
