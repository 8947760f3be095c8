import { z } from "zod";
import { id, time, anyJson } from "./fields";

// The audit log.

export const auditPage = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.number().int().min(1),
      at: time,
      orgId: id.nullable().describe("null for platform-wide changes"),
      orgName: z.string().nullable(),
      actor: z.string(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      before: anyJson,
      after: anyJson,
    }),
  ),
  nextBefore: z.number().int().nullable().describe("pass as `before` for the next page; null on the last"),
});

export type AuditPage = z.infer<typeof auditPage>;
