import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { member, memberAdded } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { addMember, listMembers, memberAdd } from "@/lib/users/members";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "The organization's members and their roles", response: z.array(member) },
  handler: ({ params }) => listMembers(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: memberAdd,
  doc: { summary: "Add someone by email with a role (an account is created when none has the email)", response: memberAdded, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => addMember(prisma(), params.orgId, body, actorOf(principal)),
});
