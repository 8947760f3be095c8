import type { AuditAction, AuditEntityType } from "../contract/audit";
import type { Prisma } from "../db/client";
import type { Tx } from "../db/transaction";

// Every configuration change is recorded with who, when, what, and the values before and
// after, in the same transaction as the change (pass the transaction client). The object is
// recorded by name as well as id — the name it has once the change is made (the new one, for a
// rename; the last one, for a delete) — so the log still reads after a rename or a delete.

export interface AuditEntry {
  orgId: string | null;
  actor: string;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  /** The object's display name as of the change; null only for what has none (an execution). */
  entityName: string | null;
  before: unknown;
  after: unknown;
}

/** A Prisma transaction, or a transaction on the pool (the dispatch paths' raw SQL). */
type AuditWriter = { auditEvent: { create(args: { data: Prisma.AuditEventUncheckedCreateInput }): Promise<unknown> } } | Pick<Tx, "query">;

const asJson = (value: unknown) => (value === null || value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue));

const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The one writer of the audit log. */
export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  if ("query" in db) {
    await db.query(
      "INSERT INTO audit_event (org_id, actor, action, entity_type, entity_id, entity_name, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [entry.orgId, entry.actor, entry.action, entry.entityType, entry.entityId, entry.entityName, jsonText(entry.before), jsonText(entry.after)],
    );
    return;
  }
  await db.auditEvent.create({
    data: {
      orgId: entry.orgId,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      entityName: entry.entityName,
      before: asJson(entry.before),
      after: asJson(entry.after),
    },
  });
}

/** Only the fields that changed, before and after: what the audit log shows. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>, only?: readonly string[]): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  // Values such as a rate limit are objects: equal when their JSON is.
  const same = (x: unknown, y: unknown) => x === y || (typeof x === "object" && typeof y === "object" && JSON.stringify(x) === JSON.stringify(y));
  for (const key of (only ?? Object.keys(after)) as (keyof T)[]) {
    if (after[key] !== undefined && !same(before[key], after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : null;
}
