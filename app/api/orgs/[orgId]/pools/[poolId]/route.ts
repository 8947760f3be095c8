import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { pool as poolReply } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { deletePool, poolUpdate, updatePool } from "@/lib/projects/pools";

export const dynamic = "force-dynamic";

const params = orgChildParams("poolId");

export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: poolUpdate,
  doc: { summary: "Update a pool", response: poolReply, errors: [409] },
  handler: ({ principal, params, body }) => updatePool(prisma(), params.orgId, params.poolId, body, actorOf(principal)),
});

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Delete a pool (its projects leave it)", status: 204 },
  handler: ({ principal, params }) => deletePool(prisma(), params.orgId, params.poolId, actorOf(principal)),
});
