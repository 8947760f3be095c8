import { shortId } from "./format";

// The audit log in words: "org.concurrency.update" reads "Organization concurrency updated",
// and the stored before/after objects become one "field: before → after" line per field that
// changed — nested values one line per leaf ("concurrency.limit: 2 → 3"), never raw JSON.

const SUBJECTS: Record<string, string> = {
  "org.concurrency": "Organization concurrency",
  "org.parallel_settings": "Parallel execution settings",
  "org.limits": "Organization limits",
  "platform.settings": "Platform settings",
  organization: "Organization",
  membership: "Member",
  token: "API token",
  execution: "Execution",
  executions: "Executions",
  flow: "Flow",
  project: "Project",
  pool: "Concurrency pool",
  queue: "Queue",
  trigger: "Trigger",
  key_rule: "Key rule",
  key_override: "Key override",
};

const VERBS: Record<string, string> = { create: "created", update: "updated", delete: "deleted", put: "set", revoke: "revoked", force: "run now", resume: "resumed", kill_matching: "killed by filter", rerun_matching: "rerun by filter" };

/** What a family of actions changes: "org.limits" reads "Organization limits". */
export const describeSubject = (subject: string): string => SUBJECTS[subject] ?? subject;

export function describeAction(action: string): string {
  const dot = action.lastIndexOf(".");
  const subject = SUBJECTS[action.slice(0, dot)];
  const verb = VERBS[action.slice(dot + 1)];
  return subject && verb ? `${subject} ${verb}` : action;
}

/** How an entry names its kind of object: "flow etl", "member alice@example.com", "key rule per customer". */
const OBJECTS: Record<string, string> = {
  organization: "organization",
  project: "project",
  flow: "flow",
  queue: "queue",
  pool: "pool",
  trigger: "trigger",
  key_rule: "key rule",
  membership: "member",
  api_token: "token",
  execution: "execution",
  platform: "platform",
};

export const objectKind = (entityType: string) => OBJECTS[entityType] ?? entityType.replaceAll("_", " ");

/**
 * The object by the name it had at the change, and what it is called now if it was renamed
 * since ("flow etl (now etl-v2)"). Executions have no name, and entries written before names
 * were recorded have none: those read as kind and short id ("flow 0b6f2c1e").
 */
export function describeObject(entry: { entityType: string; entityId: string; entityName: string | null; entityNameNow?: string | null }): string {
  const then = `${objectKind(entry.entityType)} ${entry.entityName ?? shortId(entry.entityId)}`;
  return entry.entityNameNow ? `${then} (now ${entry.entityNameNow})` : then;
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

const NONE = "—";

function show(value: unknown): string {
  if (value === undefined || value === null) return NONE;
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(show).join(", ");
  return String(value);
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** "a.b" → leaf value, for every leaf of a stored object (an empty object counts as nothing). */
function leaves(value: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (!isObject(value)) {
    if (prefix) into.set(prefix, value);
    return into;
  }
  for (const [key, inner] of Object.entries(value)) leaves(inner, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

/**
 * Every field that changed, before → after, in the order it first appears; a field on both
 * sides with the same value is left out (some writers record the whole row).
 */
/** Bookkeeping a deleted object's stored row carries: the entry already names the object and its time. */
const BOOKKEEPING = new Set(["id", "orgId", "org_id", "createdAt", "created_at", "updatedAt", "updated_at"]);

export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = leaves(before);
  const a = leaves(after);
  const fields = [...new Set([...b.keys(), ...a.keys()])].filter((field) => !BOOKKEEPING.has(field));
  return fields
    .map((field) => ({ field, before: show(b.get(field)), after: show(a.get(field)) }))
    // Equal on both sides, or nothing on either (a null before, an object's leaves after).
    .filter((c) => c.before !== c.after);
}
