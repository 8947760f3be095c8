import { authorize, route } from "@/lib/api/route";
import { orgChildParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { deleteProject, getProject, projectUpdate, updateProject } from "@/lib/projects/projects";
import { pool, prisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

const params = orgChildParams("projectId");

export const GET = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgMember: params.orgId });
    return getProject(prisma(), params.orgId, params.projectId);
  },
});

export const PATCH = route({
  auth: "required",
  params,
  body: projectUpdate,
  handler: async ({ principal, params, body }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return updateProject(prisma(), params.orgId, params.projectId, body, actorOf(principal));
  },
});

/** Cancels the project's queued executions and kills its running ones first. */
export const DELETE = route({
  auth: "required",
  params,
  handler: async ({ principal, params }) => {
    authorize(principal, { orgAdmin: params.orgId });
    return deleteProject(pool(), params.orgId, params.projectId, actorOf(principal));
  },
});
