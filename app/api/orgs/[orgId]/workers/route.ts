import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { workersOverview } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { orgQueues, orgWorkers } from "@/lib/workers/overview";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "The workers serving the organization and its queues: what each holds, asks for and waits", response: workersOverview },
  handler: async ({ params }) => {
    const workers = await orgWorkers(pool(), params.orgId);
    return { workers, queues: await orgQueues(pool(), params.orgId, workers) };
  },
});
