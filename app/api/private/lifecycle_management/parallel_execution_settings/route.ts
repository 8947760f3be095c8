import { authorize, route } from "@/lib/api/route";
import { orgQuery } from "@/lib/api/params";
import { resolveOrgId } from "@/lib/api/resolve-org";
import { actorOf } from "@/lib/auth/principal";
import { pool, prisma } from "@/lib/db/client";
import { getParallelSettings, parallelSettingsUpdate, updateParallelSettings } from "@/lib/orgs/parallel-settings";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  query: orgQuery,
  handler: async ({ principal, query }) => {
    const orgId = resolveOrgId(principal, query.orgId);
    authorize(principal, { orgMember: orgId });
    return getParallelSettings(prisma(), orgId);
  },
});

export const PUT = route({
  auth: "required",
  query: orgQuery,
  body: parallelSettingsUpdate,
  handler: async ({ principal, query, body }) => {
    const orgId = resolveOrgId(principal, query.orgId);
    authorize(principal, { orgAdmin: orgId });
    return updateParallelSettings(pool(), orgId, body, actorOf(principal));
  },
});
