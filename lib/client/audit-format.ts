// The audit log in words: "org.concurrency.update" reads "Organization concurrency updated",
// and the stored before/after objects become one "field: before → after" line per field.

const SUBJECTS: Record<string, string> = {
  "org.concurrency": "Organization concurrency",
  "org.parallel_settings": "Parallel execution settings",
  "platform.settings": "Platform settings",
  flow: "Flow",
  project: "Project",
  pool: "Concurrency pool",
  queue: "Queue",
  trigger: "Trigger",
};

const VERBS: Record<string, string> = { create: "created", update: "updated", delete: "deleted" };

export function describeAction(action: string): string {
  const dot = action.lastIndexOf(".");
  const subject = SUBJECTS[action.slice(0, dot)];
  const verb = VERBS[action.slice(dot + 1)];
  return subject && verb ? `${subject} ${verb}` : action;
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

const NONE = "—";

function show(value: unknown): string {
  if (value === undefined || value === null) return NONE;
  return typeof value === "string" ? value : JSON.stringify(value);
}

const fieldsOf = (value: unknown) => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Every field that appears before or after, in the order it first appears. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = fieldsOf(before);
  const a = fieldsOf(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.map((field) => ({ field, before: show(b[field]), after: show(a[field]) }));
}
