import { route } from "@/lib/api/route";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

export const GET = route({ auth: "public", handler: () => openApiDocument() });
