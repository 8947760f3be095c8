import { z } from "zod";
import { id, time, anyJson } from "./fields";

// The audit log.

/** What an entry can be about: the `entityType` of every writer (lib/audit/record-audit.ts). */
export const auditEntityTypes = ["organization", "project", "flow", "queue", "pool", "trigger", "key_rule", "membership", "api_token", "execution", "platform"] as const;

export type AuditEntityType = (typeof auditEntityTypes)[number];

/** Every action the writers record, grouped by what they change: the one list the console's filter offers too. */
export const auditActions = [
  "organization.create", "organization.update", "organization.delete",
  "org.concurrency.update", "org.parallel_settings.update", "org.limits.update",
  "membership.create", "membership.update", "membership.delete",
  "token.create", "token.revoke",
  "project.create", "project.update", "project.delete",
  "pool.create", "pool.update", "pool.delete",
  "flow.create", "flow.update", "flow.delete",
  "queue.create", "queue.update", "queue.delete",
  "trigger.create", "trigger.delete",
  "key_rule.create", "key_rule.update", "key_rule.delete",
  "key_override.put", "key_override.delete",
  "execution.force", "execution.resume",
  "executions.kill_matching", "executions.rerun_matching",
  "platform.settings.update",
] as const;

export type AuditAction = (typeof auditActions)[number];

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
      entityName: z.string().nullable().describe("the object's name as of the change (after it, for a rename); null for executions and for entries older than names"),
      entityNameNow: z.string().nullable().describe("what the object is called today, when that differs from entityName (renamed since); null when the same, when it is gone, and for members and executions"),
      before: anyJson,
      after: anyJson,
    }),
  ),
  nextBefore: z.number().int().nullable().describe("pass as `before` for the next page; null on the last"),
});

export type AuditPage = z.infer<typeof auditPage>;
