import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { keyRule } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { deleteKeyRule, getKeyRule, keyRuleUpdate, updateKeyRule } from "@/lib/keys/rules";

export const dynamic = "force-dynamic";

const params = orgChildParams("ruleId");

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params,
  doc: { summary: "A concurrency key rule", response: keyRule },
  handler: ({ params }) => getKeyRule(prisma(), params.orgId, params.ruleId),
});

/** Name and limits; the scope and the key are fixed once created (make a new rule to change them). */
export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: keyRuleUpdate,
  doc: { summary: "Update a concurrency key rule's name or limits (applies at the next claim)", response: keyRule, errors: [409] },
  handler: ({ principal, params, body }) => updateKeyRule(prisma(), params.orgId, params.ruleId, body, actorOf(principal)),
});

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Delete a concurrency key rule (its keys stop limiting at the next claim)", status: 204 },
  handler: ({ principal, params }) => deleteKeyRule(prisma(), params.orgId, params.ruleId, actorOf(principal)),
});
