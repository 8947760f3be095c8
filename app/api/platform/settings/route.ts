import { route } from "@/lib/api/route";
import { actorOf } from "@/lib/auth/principal";
import { platformSettings } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { getPlatformSettings, platformSettingsUpdate, updatePlatformSettings } from "@/lib/platform/platform-settings";

export const dynamic = "force-dynamic";

export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Global capacity and default project concurrency", response: platformSettings },
  handler: () => getPlatformSettings(prisma()),
});

export const PUT = route({
  need: (who) => who.platformAdmin(),
  body: platformSettingsUpdate,
  doc: { summary: "Update platform settings", response: platformSettings },
  handler: ({ principal, body }) => updatePlatformSettings(prisma(), body, actorOf(principal)),
});
