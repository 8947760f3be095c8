import { z } from "zod";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { member } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { memberUpdate, removeMember, updateMember } from "@/lib/users/members";

export const dynamic = "force-dynamic";

// User ids are better-auth's (not UUIDs).
const params = z.object({ orgId: z.uuid(), userId: z.string().min(1).max(200) });

export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: memberUpdate,
  doc: { summary: "Change a member's role", response: member },
  handler: ({ principal, params, body }) => updateMember(prisma(), params.orgId, params.userId, body, actorOf(principal)),
});

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Remove a member (the account stays)", status: 204 },
  handler: ({ principal, params }) => removeMember(prisma(), params.orgId, params.userId, actorOf(principal)),
});
