import { Suspense } from "react";
import { AuditLog } from "@/components/audit-log";
import { Skeleton } from "@/components/skeleton";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

/** The org's configuration changes: its admins and platform admins (members are told so; the API refuses them too). */
export default async function OrgAuditPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const principal = await requirePrincipal();
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <div>
        <h2 id="audit-heading" className="text-lg font-semibold">Audit log</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Who changed this organization&apos;s configuration, when, and from what to what. Newest first.</p>
      </div>
      {isOrgAdmin(principal, orgId) ? (
        <Suspense fallback={<Skeleton label="Loading the audit log" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />}>
          <AuditLog orgId={orgId} />
        </Suspense>
      ) : (
        <p role="alert" className="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
          Only administrators of this organization can read its audit log.
        </p>
      )}
    </section>
  );
}
