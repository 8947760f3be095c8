import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { revokeTokenById } from "@/lib/auth/token-admin";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgChildParams("tokenId"),
  doc: { summary: "Revoke one of the organization's tokens", status: 204 },
  handler: ({ principal, params }) => revokeTokenById(prisma(), params.tokenId, params.orgId, actorOf(principal)),
});
