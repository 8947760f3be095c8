import { route } from "@/lib/api/route";
import { flowParams } from "@/lib/api/params";
import { orgScope } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { flowSamplesQuery, listFlowSamples } from "@/lib/samples/flow-samples";

export const dynamic = "force-dynamic";

/** One flow's in-flight and queued over time: the chart on its concurrency tab. */
export const GET = route({
  auth: "required",
  params: flowParams,
  query: flowSamplesQuery,
  handler: async ({ principal, params, query }) => listFlowSamples(pool(), params.flowId, orgScope(principal), query),
});
