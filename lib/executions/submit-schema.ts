import { z } from "zod";
import { MAX_DELAY_MS } from "../dispatch/policy/admission";
import { retryPolicy } from "../core/fields";

const key = z.string().min(1).max(200);

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
  concurrencyKey: key.optional().describe("the key of concurrency key rules with source \"submission\" (docs/limits.md)"),
  startAfter: z.iso.datetime({ offset: true }).transform((t) => new Date(t)).optional().describe("not startable before this time (at most 366 days ahead)"),
  delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional().describe("not startable for this long from now (instead of startAfter)"),
  idempotencyKey: key.optional().describe("a repeat within the retention window (default 24 h) creates nothing and answers 200 with the first execution"),
  debounceKey: key.optional().describe("the key of a flow that debounces by submission key"),
  retry: retryPolicy.optional().describe("this execution's retry policy instead of its flow's; null: FAILED is final (docs/lifecycle.md)"),
})
  .refine((b) => b.startAfter === undefined || b.delayMs === undefined, { path: ["delayMs"], message: "give startAfter or delayMs, not both" })
  .refine((b) => b.retry === undefined || b.maxAttempts === undefined, { path: ["maxAttempts"], message: "give retry.maxAttempts or maxAttempts, not both" });
