import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { keyRule } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createKeyRule, keyRuleCreate, listKeyRules } from "@/lib/keys/rules";

export const dynamic = "force-dynamic";

const filter = z.strictObject({ flowId: z.uuid().optional(), queueId: z.uuid().optional() });

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  query: filter,
  doc: { summary: "List concurrency key rules (of one flow or queue with flowId / queueId)", response: z.array(keyRule) },
  handler: ({ params, query }) => listKeyRules(prisma(), params.orgId, query),
});

/** Covers executions submitted from now on; its limits apply at the next claim. */
export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: keyRuleCreate,
  doc: { summary: "Create a concurrency key rule (per-key limit and/or rate over the org, a flow or a queue)", response: keyRule, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createKeyRule(prisma(), params.orgId, body, actorOf(principal)),
});
