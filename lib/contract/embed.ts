import { z } from "zod";
import { id, count } from "./fields";

// Embedding provisioning.

export const provisioned = z.strictObject({
  user: z.strictObject({ id: z.string(), email: z.email() }),
  project: z.strictObject({ id, name: z.string(), maxConcurrentJobs: count.nullable(), poolId: id.nullable() }),
  poolId: id.nullable(),
});

export type Provisioned = z.infer<typeof provisioned>;
