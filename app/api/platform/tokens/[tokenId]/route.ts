import { z } from "zod";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { revokeTokenById } from "@/lib/auth/token-admin";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const DELETE = route({
  need: (who) => who.platformAdmin(),
  params: z.object({ tokenId: z.uuid() }),
  doc: { summary: "Revoke any API token", status: 204 },
  handler: ({ principal, params }) => revokeTokenById(prisma(), params.tokenId, null, actorOf(principal)),
});
