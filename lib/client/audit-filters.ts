import { auditActions, auditEntityTypes, type AuditEntityType } from "../contract/audit";
import { describeAction, describeSubject } from "./audit-format";

// The audit log's filters as the console keeps them in its URL (the API's names: `actor`,
// `action`, `entityType`, `entityId`, `q`), and the choices its selects offer.

export const AUDIT_FILTERS = ["actor", "action", "entityType", "entityId", "q"] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];
export type AuditFilters = Partial<Record<AuditFilter, string>>;

/** The filters a URL gives, blanks left out (the API refuses an empty filter). */
export function auditFiltersFrom(params: { get(name: string): string | null }): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of AUDIT_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** A page cursor from the URL's page trail (lib/executions/page-trail.ts); anything but an entry id is the first page. */
export const auditCursor = (cursor: string | undefined) => (cursor && /^[1-9]\d{0,15}$/.test(cursor) ? Number(cursor) : undefined);


export interface ActionGroup {
  /** "Flow" */
  label: string;
  /** The family's filter value ("flow": every flow.*), when the group has more than one action. */
  family: string | null;
  actions: { value: string; label: string }[];
}

const subjectOf = (action: string) => action.slice(0, action.lastIndexOf("."));

/** The actions select: one group per kind of change; an org's log leaves out the platform's own. */
export function actionChoices(log: "org" | "platform"): ActionGroup[] {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const action of auditActions) {
    if (log === "org" && action.startsWith("platform.")) continue;
    const subject = subjectOf(action);
    groups.set(subject, [...(groups.get(subject) ?? []), { value: action, label: describeAction(action) }]);
  }
  return [...groups].map(([subject, actions]) => ({
    label: describeSubject(subject),
    family: actions.length > 1 ? subject : null,
    actions,
  }));
}

const TYPE_LABELS: Record<AuditEntityType, string> = {
  organization: "Organization",
  project: "Project",
  flow: "Flow",
  queue: "Queue",
  pool: "Concurrency pool",
  trigger: "Trigger",
  key_rule: "Key rule",
  membership: "Member",
  api_token: "API token",
  execution: "Execution",
  platform: "Platform settings",
};

/** The object-type select; an org's log has no platform settings. */
export function entityTypeChoices(log: "org" | "platform"): [AuditEntityType, string][] {
  return auditEntityTypes.filter((t) => log === "platform" || t !== "platform").map((t) => [t, TYPE_LABELS[t]]);
}
