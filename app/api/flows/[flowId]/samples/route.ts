import { route } from "@/lib/api/route";
import { flowParams } from "@/lib/api/params";
import { flowSamples } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { unsafeFlowOrg } from "@/lib/flows/list-flows";
import { flowSamplesQuery, listFlowSamples } from "@/lib/samples/flow-samples";

export const dynamic = "force-dynamic";

/** One flow's in-flight and queued over time: the chart on its concurrency tab. */
export const GET = route({
  need: (who) => who.orgExecutions(({ params }) => unsafeFlowOrg(pool(), params.flowId), { what: "Flow" }),
  params: flowParams,
  query: flowSamplesQuery,
  doc: { summary: "One flow's in-flight and queued over time, averaged into buckets", response: flowSamples },
  handler: ({ grant, params, query }) => listFlowSamples(pool(), params.flowId, [grant.orgId], query),
});
