import "server-only";
import { notFound } from "../core/errors";
import type { Db } from "../db/transaction";
import type { Reason } from "../dispatch/policy/explain";
import { waitingReasons } from "../dispatch/waiting-reasons";
import { countByKind, oldestPerQueue, queueAgeAlerts, rankAlerts, stuckRunAlerts, type Alert, type OrgAlertConfig } from "./decide-alerts";
import { loadLongRuns, loadQueueHeads, loadThresholds, type OrgBound } from "./load-alert-facts";
import { effectiveThresholds, type AlertKind } from "./thresholds";

// The firing alerts of an org, or of every org (docs/operations.md, "Alerts"), evaluated when
// asked — by the console, the API and each Prometheus scrape — so every app instance tells the
// same truth and nothing has to run in the background. A queue-age alert says why its
// execution waits, from the same snapshot as the executions list (waiting-reasons.ts).

/** Alerts listed per reply; the counts include those beyond. */
export const ALERT_LIST_LIMIT = 200;

export interface AlertView extends Alert {
  waitingFor: Reason | null;
}

async function evaluate(db: Db, scope: readonly string[] | "all") {
  const facts = await loadThresholds(db, scope);
  const configs = new Map<string, OrgAlertConfig>(facts.orgs.map((o) => [o.id, { name: o.name, thresholds: effectiveThresholds(facts.platform, o.own) }]));
  const bounds = (kind: AlertKind): OrgBound[] => [...configs].flatMap(([orgId, c]) => (c.thresholds[kind].ms === null ? [] : [{ orgId, minMs: c.thresholds[kind].ms }]));
  const [heads, runs] = await Promise.all([loadQueueHeads(db, bounds("queue_age"), facts.now), loadLongRuns(db, bounds("stuck_run"), facts.now)]);
  const alerts = rankAlerts([...queueAgeAlerts(heads, configs, facts.now), ...stuckRunAlerts(runs, configs, facts.now)]);
  return { facts, configs, heads, alerts };
}

async function listAlerts(db: Db, scope: readonly string[] | "all") {
  const { facts, configs, heads, alerts } = await evaluate(db, scope);
  const shown = alerts.slice(0, ALERT_LIST_LIMIT);
  const rows = new Map(heads.map((h) => [h.executionId, h.row]));
  const reasons = await waitingReasons(db, shown.flatMap((a) => (a.kind === "queue_age" ? [rows.get(a.execution.id)!] : [])));
  const views: AlertView[] = shown.map((a) => {
    if (a.kind !== "queue_age") return { ...a, waitingFor: null };
    const waitingFor = reasons.get(a.execution.id) ?? null;
    const why = waitingFor ? waitingFor.message : "Nothing but its turn in fair order holds it back.";
    return { ...a, waitingFor, message: `${a.message} ${why.charAt(0).toUpperCase()}${why.slice(1)}` };
  });
  return { evaluatedAt: facts.now, configs, counts: countByKind(alerts), alerts, views };
}

/** GET /api/orgs/{orgId}/alerts: the org's thresholds and its firing alerts. */
export async function orgAlerts(db: Db, orgId: string) {
  const { evaluatedAt, configs, counts, views } = await listAlerts(db, [orgId]);
  const config = configs.get(orgId);
  if (!config) throw notFound("Organization");
  return { orgId, evaluatedAt, thresholds: config.thresholds, counts, alerts: views };
}

/** GET /api/alerts (platform admins): every org's firing alerts, and the orgs that have some. */
export async function platformAlerts(db: Db) {
  const { evaluatedAt, configs, counts, alerts, views } = await listAlerts(db, "all");
  const perOrg = new Map<string, { orgId: string; orgName: string; queue_age: number; stuck_run: number }>();
  for (const a of alerts) {
    const row = perOrg.get(a.orgId) ?? { orgId: a.orgId, orgName: configs.get(a.orgId)!.name, queue_age: 0, stuck_run: 0 };
    row[a.kind] += 1;
    perOrg.set(a.orgId, row);
  }
  const orgs = [...perOrg.values()].sort((a, b) => b.queue_age + b.stuck_run - (a.queue_age + a.stuck_run) || a.orgName.localeCompare(b.orgName));
  return { evaluatedAt, counts, orgs, alerts: views };
}

/** For Prometheus (lib/metrics/registry.ts): the firing alerts per kind. */
export async function firingAlertCounts(db: Db): Promise<Record<AlertKind, number>> {
  return countByKind((await evaluate(db, "all")).alerts);
}

/** For Prometheus: the `top` longest startable waits, one per queue, whatever the thresholds. */
export async function longestQueueWaits(db: Db, top: number): Promise<{ org: string; queue: string; seconds: number }[]> {
  const facts = await loadThresholds(db, "all");
  const slugs = new Map(facts.orgs.map((o) => [o.id, o.slug]));
  const heads = await loadQueueHeads(db, facts.orgs.map((o) => ({ orgId: o.id, minMs: 0 })), facts.now);
  return oldestPerQueue(heads).slice(0, top).map((h) => ({ org: slugs.get(h.orgId)!, queue: h.queueName, seconds: (facts.now.getTime() - h.waitingSince.getTime()) / 1_000 }));
}
