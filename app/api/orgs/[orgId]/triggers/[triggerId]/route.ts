import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { deleteTrigger } from "@/lib/flows/triggers";

export const dynamic = "force-dynamic";

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgChildParams("triggerId"),
  doc: { summary: "Delete a trigger", status: 204 },
  handler: ({ principal, params }) => deleteTrigger(prisma(), params.orgId, params.triggerId, actorOf(principal)),
});
