import { orgIdOrOnly } from "@/lib/api/needs";
import { route } from "@/lib/api/route";
import { orgQuery } from "@/lib/api/params";
import { z } from "zod";
import { parallelSettingDetails } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { getParallelSettingDetails } from "@/lib/orgs/parallel-settings";

export const dynamic = "force-dynamic";

const detailsQuery = orgQuery.extend({
  max_paused_slots: z.coerce.number().int().min(0).max(1_000_000).optional().describe("preview: what setting max_paused_slots to this would do at once"),
});

/** For each setting: current_value = min(env_value, settings_value); `paused`: what max_paused_slots does (or would do). */
export const GET = route({
  need: (who) => who.orgMember(({ principal, query }) => orgIdOrOnly(principal, query.orgId)),
  query: detailsQuery,
  doc: { summary: "current_value = min(env_value, settings_value) per setting, and what max_paused_slots does now or would do", response: parallelSettingDetails },
  handler: ({ grant, query }) => getParallelSettingDetails(prisma(), grant.orgId, query.max_paused_slots),
});
