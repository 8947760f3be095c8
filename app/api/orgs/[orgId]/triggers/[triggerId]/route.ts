import { authorize, route } from "@/lib/api/route";
import { noContent, orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleteTrigger } from "@/lib/flows/triggers";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const DELETE = route({
  auth: "required",
  params: orgChildParams("triggerId"),
  handler: async ({ principal, params }) => {
    authorize(principal, { orgAdmin: params.orgId });
    await deleteTrigger(prisma(), params.orgId, params.triggerId, actorOf(principal));
    return noContent();
  },
});
