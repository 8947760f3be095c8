import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AuditLog } from "@/components/audit-log";
import { Skeleton } from "@/components/skeleton";
import { requirePrincipal } from "@/lib/auth/current";
import { isPlatformAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** Platform admins: every configuration change, platform-wide and in every org. */
export default async function PlatformAuditPage() {
  if (!isPlatformAdmin(await requirePrincipal())) notFound();
  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <div>
        <h1 id="audit-heading" className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every configuration change on the platform and in every organization, newest first.</p>
      </div>
      {/* The log reads its filters from the URL. */}
      <Suspense fallback={<Skeleton label="Loading the audit log" className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />}>
        <AuditLog />
      </Suspense>
    </section>
  );
}
