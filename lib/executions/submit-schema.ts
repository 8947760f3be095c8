import { z } from "zod";

/** POST /api/executions. */
export const submitBody = z.strictObject({
  orgId: z.uuid().optional(),
  projectId: z.uuid(),
  flowId: z.uuid().optional(),
  parentId: z.uuid().optional(),
  queue: z.string().trim().min(1).max(120).optional(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  concurrency: z.number().int().min(1).max(1_000_000).optional(),
  triggerId: z.uuid().optional(),
  accessRequest: z.boolean().optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
