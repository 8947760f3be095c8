import { authorize, route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { getPlatformSettings, platformSettingsUpdate, updatePlatformSettings } from "@/lib/platform/platform-settings";

export const dynamic = "force-dynamic";

export const GET = route({
  auth: "required",
  handler: async ({ principal }) => {
    authorize(principal, { platformAdmin: true });
    return getPlatformSettings(prisma());
  },
});

export const PUT = route({
  auth: "required",
  body: platformSettingsUpdate,
  handler: async ({ principal, body }) => {
    authorize(principal, { platformAdmin: true });
    return updatePlatformSettings(prisma(), body, actorOf(principal));
  },
});
