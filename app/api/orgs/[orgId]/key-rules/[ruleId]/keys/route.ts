import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { keysView } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { keysOfRule, keysQuery } from "@/lib/keys/keys-view";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgChildParams("ruleId"),
  query: keysQuery,
  doc: { summary: "A rule's keys with work: running, queued, scheduled, limit and rate window (top N, search, sort)", response: keysView },
  handler: ({ params, query }) => keysOfRule(prisma(), pool(), params.orgId, params.ruleId, query),
});
