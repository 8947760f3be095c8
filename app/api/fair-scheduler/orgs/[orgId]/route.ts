import { authorize, route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { pool, prisma } from "@/lib/db/client";
import { getOrgConcurrency } from "@/lib/orgs/org-concurrency";
import { orgConcurrencyUpdate, updateOrgConcurrency } from "@/lib/orgs/update-org";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  params: orgParams,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return getOrgConcurrency(pool(), params.orgId);
  },
});

export const PUT = route({
  auth: "required",
  params: orgParams,
  body: orgConcurrencyUpdate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { platformAdmin: true });
    await updateOrgConcurrency(prisma(), params.orgId, body, actorOf(principal));
    return getOrgConcurrency(pool(), params.orgId);
  },
});
