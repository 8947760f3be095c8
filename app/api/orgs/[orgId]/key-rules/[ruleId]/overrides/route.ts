import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { keyOverride, keyOverrides } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { deleteKeyOverride, keyOverrideQuery, keyOverrideWrite, listKeyOverrides, putKeyOverride } from "@/lib/keys/rules";

export const dynamic = "force-dynamic";

const params = orgChildParams("ruleId");

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params,
  doc: { summary: "The keys of a rule with a limit of their own", response: keyOverrides },
  handler: ({ params }) => listKeyOverrides(prisma(), params.orgId, params.ruleId),
});

/** Keys travel in the body (and the query for DELETE): they may hold any character, slashes too. */
export const PUT = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: keyOverrideWrite,
  doc: { summary: "Give one key its own limit (created or replaced; applies at the next claim)", response: keyOverride },
  handler: ({ principal, params, body }) => putKeyOverride(prisma(), params.orgId, params.ruleId, body, actorOf(principal)),
});

export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  query: keyOverrideQuery,
  doc: { summary: "Remove a key's own limit (?key=): the rule's applies again", status: 204 },
  handler: ({ principal, params, query }) => deleteKeyOverride(prisma(), params.orgId, params.ruleId, query.key, actorOf(principal)),
});
