import { z } from "zod";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { organization } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createOrg, listOrgs, orgCreate } from "@/lib/orgs/orgs";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Every organization (name, slug, weight, cap)", response: z.array(organization) },
  handler: () => listOrgs(prisma(), "all"),
});

export const POST = route({
  need: (who) => who.platformAdmin(),
  body: orgCreate,
  doc: { summary: "Create an organization (slug from the name when absent)", response: organization, status: 201, errors: [409] },
  handler: ({ principal, body }) => createOrg(prisma(), body, actorOf(principal)),
});
