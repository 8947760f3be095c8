import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { orgConcurrency } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { getOrgConcurrency } from "@/lib/orgs/org-concurrency";
import { orgConcurrencyUpdate, updateOrgConcurrency } from "@/lib/orgs/update-org";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "One org's concurrency", response: orgConcurrency },
  handler: ({ params }) => getOrgConcurrency(pool(), params.orgId),
});

export const PUT = route({
  need: (who) => who.platformAdmin(),
  params: orgParams,
  body: orgConcurrencyUpdate,
  doc: { summary: "Set weight and/or maxConcurrency", response: orgConcurrency },
  handler: async ({ principal, params, body }) => {
    await updateOrgConcurrency(prisma(), params.orgId, body, actorOf(principal));
    return getOrgConcurrency(pool(), params.orgId);
  },
});
