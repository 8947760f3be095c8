import { z } from "zod";

// The one error reply.

export const problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().describe("stable, for programs: not_found, validation_failed, trigger_locked, …"),
  detail: z.string(),
  requestId: z.string().describe("quote it when reporting a problem; the server log has the details"),
  errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional().describe("validation errors (422): which field, which rule"),
});

export type Problem = z.infer<typeof problem>;
