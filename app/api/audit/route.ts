import { authorize, route } from "@/lib/api/route";
import { isPlatformAdmin, type Principal } from "@/lib/auth/principal";
import { listAudit, listAuditQuery } from "@/lib/audit/list-audit";
import { prisma } from "@/lib/db/client";
import { forbidden } from "@/lib/core/errors";

export const dynamic = "force-dynamic";

function adminOrgs(principal: Principal): string[] {
  return principal.kind === "user" ? principal.memberships.filter((m) => m.role === "ADMIN").map((m) => m.orgId) : [];
}

/** Configuration changes: org admins see their orgs', platform admins everything. */
export const GET = route({
  auth: "required",
  query: listAuditQuery,
  handler: async ({ principal, query }) => {
    if (query.orgId) authorize(principal, { orgAdmin: query.orgId });
    const scope = isPlatformAdmin(principal) ? "all" : adminOrgs(principal);
    if (scope !== "all" && scope.length === 0) throw forbidden("Only organization and platform administrators can read the audit log.");
    return listAudit(prisma(), scope, query);
  },
});
