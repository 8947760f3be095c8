import { route } from "@/lib/api/route";
import { platformSamples } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { listPlatformSamples, platformSamplesQuery } from "@/lib/samples/list-samples";

export const dynamic = "force-dynamic";

/** In-flight over time for every org (the busiest named, the rest as "other"): the platform chart. */
export const GET = route({
  need: (who) => who.platformAdmin(),
  query: platformSamplesQuery,
  doc: { summary: "In-flight over time per org (busiest orgs named, the rest summed as other), averaged into buckets", response: platformSamples },
  handler: ({ query }) => listPlatformSamples(pool(), query),
});
