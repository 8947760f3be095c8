import { authorize, route } from "@/lib/api/route";
import { pool } from "@/lib/db/client";
import { listPlatformSamples, platformSamplesQuery } from "@/lib/samples/list-samples";

export const dynamic = "force-dynamic";

/** In-flight over time for every org (the busiest named, the rest as "other"): the platform chart. */
export const GET = route({
  auth: "required",
  query: platformSamplesQuery,
  handler: async ({ principal, query }) => {
    authorize(principal, { platformAdmin: true });
    return listPlatformSamples(pool(), query);
  },
});
