import { route } from "@/lib/api/route";
import { paused } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { pauseExecution } from "@/lib/dispatch/pause-resume";
import { pauseBody, pauseWait } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/**
 * The execution waits for a delay or an approval (docs/lifecycle.md, "Pauses"). Its lease
 * ends: the platform holds it, keeping or freeing its slot per max_paused_slots.
 */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  body: pauseBody,
  doc: { summary: "Pause a running execution for a delay or an approval", response: paused, errors: [409] },
  handler: async ({ grant, body }) => {
    const result = await pauseExecution(pool(), { executionId: body.executionId, leaseToken: body.leaseToken, workerId: grant.worker.id, wait: pauseWait(body, new Date()) });
    return { ...result, until: result.until?.toISOString() ?? null };
  },
});
