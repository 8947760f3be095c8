import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { samples } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { listOrgSamples, orgSamplesQuery } from "@/lib/samples/list-samples";

export const dynamic = "force-dynamic";

/** One org's in-flight and queued over time: the tenant's chart. */
export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  query: orgSamplesQuery,
  doc: { summary: "One org's in-flight and queued over time, averaged into buckets", response: samples },
  handler: ({ params, query }) => listOrgSamples(pool(), params.orgId, query),
});
