import { route } from "@/lib/api/route";
import { flowParams } from "@/lib/api/params";
import { flowConcurrency } from "@/lib/contract";
import { env } from "@/lib/core/env";
import { pool } from "@/lib/db/client";
import { getFlowConcurrency } from "@/lib/flows/flow-concurrency";
import { unsafeFlowOrg } from "@/lib/flows/list-flows";

export const dynamic = "force-dynamic";

/** The flow's concurrency tab: limit, behavior, active vs total slots, running and queued executions. */
export const GET = route({
  need: (who) => who.orgExecutions(({ params }) => unsafeFlowOrg(pool(), params.flowId), { what: "Flow" }),
  params: flowParams,
  doc: {
    summary: "Flow concurrency tab: active vs total slots, running and queued executions; `stuck` when a RUNNING execution's last heartbeat is older than `stuckAfterMs` (half the lease)",
    response: flowConcurrency,
  },
  handler: ({ grant, params }) => getFlowConcurrency(pool(), params.flowId, [grant.orgId], { leaseTtlMs: env().LEASE_TTL_MS }),
});
