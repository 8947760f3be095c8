import { validationFailed } from "../core/errors";
import { orgScope, type Principal } from "../auth/principal";

/**
 * Endpoints whose paths name no org (the seed's lifecycle-management paths, execution
 * submission) take `orgId`; a caller who belongs to exactly one org may leave it out.
 */
export function resolveOrgId(principal: Principal, orgId: string | undefined): string {
  if (orgId) return orgId;
  const scope = orgScope(principal);
  if (scope !== "all" && scope.length === 1) return scope[0]!;
  throw validationFailed([{ field: "orgId", message: "required: you have access to more than one organization" }]);
}
