import { z } from "zod";
import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { issuePlatformToken, listAllTokens, platformTokenCreate } from "@/lib/auth/token-admin";
import { apiToken, apiTokenIssued } from "@/lib/contract";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Every API token of the platform (never their secrets)", response: z.array(apiToken) },
  handler: () => listAllTokens(prisma()),
});

export const POST = route({
  need: (who) => who.platformAdmin(),
  body: platformTokenCreate,
  doc: { summary: "Issue a platform-admin token or a worker token for every org; the secret is in this reply only", response: apiTokenIssued, status: 201 },
  handler: ({ principal, body }) => issuePlatformToken(prisma(), body, actorOf(principal)),
});
