import { authorize, route } from "@/lib/api/route";
import { orgQuery } from "@/lib/api/params";
import { resolveOrgId } from "@/lib/api/resolve-org";
import { prisma } from "@/lib/db/client";
import { getParallelSettingDetails } from "@/lib/orgs/parallel-settings";

export const dynamic = "force-dynamic";

/** For each setting: current_value = min(env_value, settings_value). */
export const GET = route({
  auth: "required",
  query: orgQuery,
  handler: async ({ principal, query }) => {
    const orgId = resolveOrgId(principal, query.orgId);
    authorize(principal, { orgMember: orgId });
    return getParallelSettingDetails(prisma(), orgId);
  },
});
