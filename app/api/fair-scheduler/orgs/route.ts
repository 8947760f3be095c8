import { authorize, route } from "@/lib/api/route";
import { pool } from "@/lib/db/client";
import { listOrgConcurrency } from "@/lib/orgs/org-concurrency";

export const dynamic = "force-dynamic";

/** Every org with in-flight, queued, weight, cap, load ratio and fair-order rank. */
export const GET = route({
  auth: "required",
  handler: async ({ principal }) => {
    authorize(principal, { platformAdmin: true });
    return listOrgConcurrency(pool());
  },
});
