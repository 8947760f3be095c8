import { route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleted, project } from "@/lib/contract";
import { pool, prisma } from "@/lib/db/client";
import { deleteProject, getProject, projectUpdate, updateProject } from "@/lib/projects/projects";

export const dynamic = "force-dynamic";

const params = orgChildParams("projectId");

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params,
  doc: { summary: "A project, with the same live usage as the list", response: project },
  handler: ({ params }) => getProject(prisma(), params.orgId, params.projectId),
});

export const PATCH = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  body: projectUpdate,
  doc: { summary: "Update a project (maxConcurrentJobs null = platform default)", response: project, errors: [409] },
  handler: ({ principal, params, body }) => updateProject(prisma(), params.orgId, params.projectId, body, actorOf(principal)),
});

/** Cancels the project's queued executions and kills its running ones first. */
export const DELETE = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params,
  doc: { summary: "Delete a project (its live executions are cancelled or killed first)", response: deleted },
  handler: ({ principal, params }) => deleteProject(pool(), params.orgId, params.projectId, actorOf(principal)),
});
