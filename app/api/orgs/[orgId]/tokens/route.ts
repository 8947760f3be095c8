import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { issueOrgToken, listOrgTokens, orgTokenCreate } from "@/lib/auth/token-admin";
import { apiToken, apiTokenIssued } from "@/lib/contract";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "The organization's worker tokens (never their secrets), revoked ones too", response: z.array(apiToken) },
  handler: ({ params }) => listOrgTokens(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: orgTokenCreate,
  doc: { summary: "Issue a worker token for this organization; the secret is in this reply only", response: apiTokenIssued, status: 201 },
  handler: ({ principal, params, body }) => issueOrgToken(prisma(), params.orgId, body, actorOf(principal)),
});
