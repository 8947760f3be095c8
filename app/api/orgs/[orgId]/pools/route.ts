import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { pool as poolReply } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createPool, listPools, poolCreate } from "@/lib/projects/pools";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "List concurrency pools, each with its projects and the inFlight they share", response: z.array(poolReply) },
  handler: ({ params }) => listPools(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: poolCreate,
  doc: { summary: "Create a pool", response: poolReply, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createPool(prisma(), params.orgId, body, actorOf(principal)),
});
