import { route } from "@/lib/api/route";
import { provisioned } from "@/lib/contract";
import { prisma } from "@/lib/db/client";
import { provision, verifyProvisionToken } from "@/lib/embed/provision";
import { env } from "@/lib/core/env";
import { AppError, unauthenticated } from "@/lib/core/errors";

export const dynamic = "force-dynamic";

/**
 * Creates or updates a user and project from a JWT signed with EMBED_JWT_SECRET, sent as
 * `Authorization: Bearer <jwt>`. concurrencyPoolKey / concurrencyPoolLimit put the project
 * in that shared pool.
 */
export const POST = route({
  need: (who) => who.embeddingToken(),
  doc: { summary: "Create/update a user and project from an embedding JWT (pool claims supported)", response: provisioned, errors: [409, 422, 503] },
  handler: async ({ request }) => {
    const secret = env().EMBED_JWT_SECRET;
    if (!secret) throw new AppError(503, "embedding_disabled", "Embedding is not configured (EMBED_JWT_SECRET is unset).");
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
    if (!match) throw unauthenticated();
    const claims = await verifyProvisionToken(match[1]!, secret);
    return provision(prisma(), claims);
  },
});
