import { authorize, route } from "@/lib/api/route";
import { created, orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { createPool, listPools, poolCreate } from "@/lib/projects/pools";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  params: orgParams,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return listPools(prisma(), params.orgId);
  },
});

export const POST = route({
  auth: "required",
  params: orgParams,
  body: poolCreate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return created(await createPool(prisma(), params.orgId, body, actorOf(principal)));
  },
});
