import { authorize, route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { pool } from "@/lib/db/client";
import { listOrgSamples, orgSamplesQuery } from "@/lib/samples/list-samples";

export const dynamic = "force-dynamic";

/** One org's in-flight and queued over time: the tenant's chart. */
export const GET = route({
  auth: "required",
  params: orgParams,
  query: orgSamplesQuery,
  handler: async ({ principal, params, query }) => {
    authorize(principal, { orgMember: params.orgId });
    return listOrgSamples(pool(), params.orgId, query);
  },
});
