import { z } from "zod";
import { route } from "@/lib/api/route";
import { orgConcurrencyRow } from "@/lib/contract";
import { pool } from "@/lib/db/client";
import { listOrgConcurrency } from "@/lib/orgs/org-concurrency";

export const dynamic = "force-dynamic";

/** Every org with in-flight, queued, weight, cap, load ratio and fair-order rank. */
export const GET = route({
  need: (who) => who.platformAdmin(),
  doc: { summary: "Every org: in-flight, queued, weight, cap, load ratio, fair-order rank", response: z.array(orgConcurrencyRow) },
  handler: () => listOrgConcurrency(pool()),
});
