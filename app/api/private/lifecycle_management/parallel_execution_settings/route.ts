import { orgIdOrOnly } from "@/lib/api/needs";
import { route } from "@/lib/api/route";
import { orgQuery } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { parallelSettings } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { getParallelSettings, parallelSettingsUpdate, updateParallelSettings } from "@/lib/orgs/parallel-settings";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ principal, query }) => orgIdOrOnly(principal, query.orgId)),
  query: orgQuery,
  doc: { summary: "Parallel execution settings", response: parallelSettings },
  handler: ({ grant }) => getParallelSettings(prisma(), grant.orgId),
});

export const PUT = route({
  need: (who) => who.orgAdmin(({ principal, query }) => orgIdOrOnly(principal, query.orgId)),
  query: orgQuery,
  body: parallelSettingsUpdate,
  doc: { summary: "Update parallel execution settings", response: parallelSettings },
  handler: ({ principal, grant, body }) => updateParallelSettings(pool(), grant.orgId, body, actorOf(principal)),
});
