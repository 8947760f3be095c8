import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { bulkRerun } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { bulkRerunBody, rerunMatching } from "@/lib/dispatch/bulk";

export const dynamic = "force-dynamic";

/** Rerun every finished execution matching the filter (oldest first, at most `limit`), each through full admission; `dryRun` only counts. */
export const POST = route({
  need: (who) => who.orgExecutions(({ params }) => params.orgId),
  params: orgParams,
  body: bulkRerunBody,
  doc: { summary: "Rerun the finished executions matching a filter, each through full admission (dryRun: count only)", response: bulkRerun },
  handler: ({ principal, params, body }) => rerunMatching(pool(), { orgId: params.orgId, actor: actorOf(principal), body }),
});
