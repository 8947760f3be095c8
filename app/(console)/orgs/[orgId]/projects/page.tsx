import { ProjectSettings } from "@/components/project-settings";
import { requirePrincipal } from "@/lib/auth/current";
import { isOrgAdmin } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** Project settings; the layout has already checked that the caller may see this org. */
export default async function ProjectsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const principal = await requirePrincipal();
  return (
    <section aria-labelledby="projects-heading" className="space-y-4">
      <h2 id="projects-heading" className="text-lg font-semibold">Projects</h2>
      <ProjectSettings orgId={orgId} canEdit={isOrgAdmin(principal, orgId)} />
    </section>
  );
}
