import { route } from "@/lib/api/route";
import { listAudit, listAuditQuery } from "@/lib/audit/list-audit";
import { auditPage } from "@/lib/contract";
import { prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** Configuration changes, newest first, filtered by who, what and object: org admins see their orgs', platform admins everything. */
export const GET = route({
  need: (who) => who.orgAdminsOrScope(({ query }) => query.orgId),
  query: listAuditQuery,
  doc: { summary: "Configuration changes, newest first (filters: actor, action or its family, entityType, entityId, q on the object's name)", response: auditPage },
  handler: ({ grant, query }) => listAudit(prisma(), grant.scope, query),
});
