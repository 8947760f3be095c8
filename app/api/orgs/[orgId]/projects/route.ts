import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgParams } from "@/lib/api/params";
import { actorOf } from "@/lib/auth/principal";
import { project } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { createProject, listProjects, projectCreate } from "@/lib/projects/projects";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.orgMember(({ params }) => params.orgId),
  params: orgParams,
  doc: { summary: "List projects, each with inFlight, queued, effectiveMaxConcurrentJobs and platformDefaultConcurrentJobs", response: z.array(project) },
  handler: ({ params }) => listProjects(prisma(), params.orgId),
});

export const POST = route({
  need: (who) => who.orgAdmin(({ params }) => params.orgId),
  params: orgParams,
  body: projectCreate,
  doc: { summary: "Create a project", response: project, status: 201, errors: [409] },
  handler: ({ principal, params, body }) => createProject(prisma(), params.orgId, body, actorOf(principal)),
});
