import { authorize, route } from "@/lib/api/route";
import { noContent, orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deletePool, poolUpdate, updatePool } from "@/lib/projects/pools";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const params = orgChildParams("poolId");

export const PATCH = route({
  auth: "required",
  params,
  body: poolUpdate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return updatePool(prisma(), params.orgId, params.poolId, body, actorOf(principal));
  },
});

export const DELETE = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgAdmin: params.orgId });
    await deletePool(prisma(), params.orgId, params.poolId, actorOf(principal));
    return noContent();
  },
});
