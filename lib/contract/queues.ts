import { z } from "zod";
import { id, time, count, rate, rateWindow } from "./fields";

// Queues, as every read and write of them answers.

export const queue = z.strictObject({
  id,
  orgId: id,
  name: z.string(),
  priority: z.number().int().describe("higher goes first within the org"),
  concurrency: count.describe("0 = no cap"),
  rateLimit: rate,
  rateWindow,
  createdAt: time,
  updatedAt: time,
});

export type Queue = z.infer<typeof queue>;
