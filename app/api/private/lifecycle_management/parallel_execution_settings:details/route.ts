import { orgIdOrOnly } from "@/lib/api/needs";
import { route } from "@/lib/api/route";
import { orgQuery } from "@/lib/api/params";
import { parallelSettingDetails } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { getParallelSettingDetails } from "@/lib/orgs/parallel-settings";

export const dynamic = "force-dynamic";

/** For each setting: current_value = min(env_value, settings_value). */
export const GET = route({
  need: (who) => who.orgMember(({ principal, query }) => orgIdOrOnly(principal, query.orgId)),
  query: orgQuery,
  doc: { summary: "current_value = min(env_value, settings_value) per setting", response: parallelSettingDetails },
  handler: ({ grant }) => getParallelSettingDetails(prisma(), grant.orgId),
});
