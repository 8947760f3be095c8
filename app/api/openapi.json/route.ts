import { route } from "@/lib/api/route";
import { openApi } from "@/lib/contract";

export const dynamic = "force-static";

export const GET = route({
  need: (who) => who.anyone(),
  doc: { summary: "This document", response: openApi },
  // Imported when asked: the route list imports this route too.
  handler: async () => {
    const [{ openApiDocument }, { API_ROUTES }] = await Promise.all([import("@/lib/api/openapi"), import("../routes")]);
    return openApiDocument(API_ROUTES);
  },
});
