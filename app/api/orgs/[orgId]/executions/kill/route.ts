import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { bulkKilled } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { bulkKillBody, killMatching } from "@/lib/dispatch/bulk";

export const dynamic = "force-dynamic";

/** Kill every live execution matching the filter (oldest first, at most `limit`); `dryRun` only counts. */
export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: bulkKillBody,
  doc: { summary: "Kill the live executions matching a filter, with their descendants (dryRun: count only)", response: bulkKilled },
  handler: ({ principal, params, body }) => killMatching(pool(), { orgId: params.orgId, actor: actorOf(principal), body }),
});
