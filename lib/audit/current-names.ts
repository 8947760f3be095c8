import "server-only";
import type { AuditEntityType } from "../contract/audit";
import type { PrismaClient } from "../db/client";

// What the objects of a page of the audit log are called today, so an entry about a flow since
// renamed reads "flow etl (now etl-v2)". Entries keep the name as of the change; this is only
// the reader's aside. One query per kind of object on the page, by primary key.

type Lookup = (prisma: PrismaClient, ids: string[]) => Promise<{ id: string; name: string }[]>;

const byName = { id: true, name: true } as const;

/** Members are left out: a former member's email today is no longer the org's to see. */
const LOOKUPS: Partial<Record<AuditEntityType, Lookup>> = {
  organization: (p, ids) => p.organization.findMany({ where: { id: { in: ids } }, select: byName }),
  project: (p, ids) => p.project.findMany({ where: { id: { in: ids } }, select: byName }),
  flow: (p, ids) => p.flow.findMany({ where: { id: { in: ids } }, select: byName }),
  queue: (p, ids) => p.queue.findMany({ where: { id: { in: ids } }, select: byName }),
  trigger: (p, ids) => p.trigger.findMany({ where: { id: { in: ids } }, select: byName }),
  key_rule: (p, ids) => p.concurrencyKeyRule.findMany({ where: { id: { in: ids } }, select: byName }),
  api_token: (p, ids) => p.apiToken.findMany({ where: { id: { in: ids } }, select: byName }),
  pool: async (p, ids) => (await p.concurrencyPool.findMany({ where: { id: { in: ids } }, select: { id: true, key: true } })).map((r) => ({ id: r.id, name: r.key })),
};

// These kinds' ids are UUIDs; anything else (a hand-written row) names nothing and is skipped.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const entityKey = (entityType: string, entityId: string) => `${entityType}:${entityId}`;

/** entityKey → the object's name now, for the objects that still exist. */
export async function currentNames(prisma: PrismaClient, entries: readonly { entityType: string; entityId: string }[]): Promise<Map<string, string>> {
  const idsByType = new Map<AuditEntityType, Set<string>>();
  for (const e of entries) {
    if (!(e.entityType in LOOKUPS) || !UUID.test(e.entityId)) continue;
    const type = e.entityType as AuditEntityType;
    idsByType.set(type, (idsByType.get(type) ?? new Set()).add(e.entityId));
  }
  const found = await Promise.all([...idsByType].map(async ([type, ids]) => ({ type, rows: await LOOKUPS[type]!(prisma, [...ids]) })));
  return new Map(found.flatMap(({ type, rows }) => rows.map((r) => [entityKey(type, r.id), r.name] as const)));
}
