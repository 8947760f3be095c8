import { route } from "@/lib/api/route";
import { flowParams } from "@/lib/api/params";
import { orgScope } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { env } from "@/lib/core/env";
import { getFlowConcurrency } from "@/lib/flows/flow-concurrency";

export const dynamic = "force-dynamic";

/** The flow's concurrency tab: limit, behavior, active vs total slots, running and queued executions. */
export const GET = route({
  auth: "required",
  params: flowParams,
  handler: async ({ principal, params }) =>
    getFlowConcurrency(pool(), params.flowId, orgScope(principal), { leaseTtlMs: env().LEASE_TTL_MS }),
});
