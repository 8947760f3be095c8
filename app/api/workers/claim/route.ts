import { route } from "@/lib/api/route";
import { json } from "@/lib/api/reply";
import { claimed } from "@/lib/contract";
import { claimWithWait } from "@/lib/workers/claim-with-wait";
import { claimBody } from "@/lib/workers/protocol";

export const dynamic = "force-dynamic";

/**
 * Claim up to `limit` executions, reporting finished ones in the same transaction; with
 * nothing to give, wait up to `waitMs` (long poll) and answer with a Retry-After hint.
 */
export const POST = route({
  need: (who) => who.ownWorker(({ body }) => body.workerId),
  maxBodyBytes: 1024 * 1024,
  body: claimBody,
  doc: { summary: "Report outcomes and claim up to N executions (long poll with waitMs; Retry-After when empty)", response: claimed },
  handler: async ({ grant, body, request }) => {
    const { claimed, completed, retryAfterS } = await claimWithWait(grant.worker, body, request.signal);
    return json({ claimed, completed }, { headers: retryAfterS === null ? undefined : { "retry-after": String(retryAfterS) } });
  },
});
