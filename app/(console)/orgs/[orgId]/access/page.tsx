import { MembersPanel } from "@/components/access/members-panel";
import { OrgAdminPanel } from "@/components/access/org-admin-panel";
import { TokensPanel } from "@/components/access/tokens-panel";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin, isPlatformAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** People, worker tokens and (platform admins) the org itself; the layout has already checked that the caller may see this org. */
export default async function AccessPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const principal = await requirePrincipal();
  const admin = isOrgAdmin(principal, orgId);
  return (
    <div className="space-y-10">
      <section aria-labelledby="members-heading" className="space-y-4">
        <h2 id="members-heading" className="text-lg font-semibold">Members</h2>
        <MembersPanel orgId={orgId} canEdit={admin} />
      </section>
      {admin && (
        <section aria-labelledby="tokens-heading" className="space-y-4">
          <h2 id="tokens-heading" className="text-lg font-semibold">Worker tokens</h2>
          <TokensPanel orgId={orgId} />
        </section>
      )}
      {isPlatformAdmin(principal) && (
        <section aria-labelledby="org-heading" className="space-y-4">
          <h2 id="org-heading" className="text-lg font-semibold">Organization</h2>
          <OrgAdminPanel orgId={orgId} />
        </section>
      )}
    </div>
  );
}
