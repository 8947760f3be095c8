import type { AlertKind, ThresholdSource, Thresholds } from "./thresholds";

// Which alerts fire (docs/operations.md, "Alerts"), decided over plain data read by
// load-alert-facts.ts: a queue whose oldest startable execution has waited longer than the
// org's queue-age threshold (one alert per queue), and an execution whose current run has
// lasted longer than its stuck-run threshold (one per execution). Pure: the same facts, the
// same moment, the same alerts.

export interface QueueHead {
  orgId: string;
  queueId: string;
  queueName: string;
  executionId: string;
  flowId: string | null;
  flowName: string | null;
  /** When it became startable: submitted, come due (a delayed start, a retry's backoff), or queued again (a release, a lease expiry, a resume). */
  waitingSince: Date;
}

export interface RunningExecution {
  orgId: string;
  queueId: string;
  queueName: string;
  executionId: string;
  flowId: string | null;
  flowName: string | null;
  workerId: string | null;
  workerName: string | null;
  /** When its current run began (its last claim: a retry's run is measured on its own). */
  runningSince: Date;
}

export interface OrgAlertConfig {
  name: string;
  thresholds: Thresholds;
}

export interface Alert {
  /** Stable while it fires: the kind and what it is about. */
  id: string;
  kind: AlertKind;
  orgId: string;
  orgName: string;
  queue: { id: string; name: string };
  execution: { id: string; flowId: string | null; flowName: string | null };
  worker: { id: string; name: string } | null;
  since: Date;
  forMs: number;
  thresholdMs: number;
  thresholdSource: ThresholdSource;
  message: string;
}

/** "45 s", "25 min", "1 h 12 min", "2 d 3 h": whole units, the two largest. */
export function durationInWords(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1_000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

const quoted = (name: string) => `"${name}"`;
const flowPart = (flowName: string | null) => (flowName === null ? "" : ` of flow ${quoted(flowName)}`);

/** Per queue, the head that has waited longest (ties: the smaller execution id), longest first. */
export function oldestPerQueue<H extends QueueHead>(heads: readonly H[]): H[] {
  const oldest = new Map<string, H>();
  const before = (a: H, b: H) => a.waitingSince.getTime() - b.waitingSince.getTime() || (a.executionId < b.executionId ? -1 : a.executionId > b.executionId ? 1 : 0);
  for (const head of heads) {
    const seen = oldest.get(head.queueId);
    if (!seen || before(head, seen) < 0) oldest.set(head.queueId, head);
  }
  return [...oldest.values()].sort(before);
}

/** How long past `since` it is, when that is longer than the org's threshold of this kind (null: not firing, or the rule is off). */
function overdue(orgs: ReadonlyMap<string, OrgAlertConfig>, orgId: string, kind: AlertKind, since: Date, now: Date) {
  const org = orgs.get(orgId);
  const threshold = org?.thresholds[kind];
  if (!org || !threshold || threshold.ms === null) return null;
  const forMs = now.getTime() - since.getTime();
  return forMs > threshold.ms ? { org, threshold: { ms: threshold.ms, source: threshold.source }, forMs } : null;
}

/** One alert per queue whose oldest head has waited longer than the org's queue-age threshold. */
export function queueAgeAlerts(heads: readonly QueueHead[], orgs: ReadonlyMap<string, OrgAlertConfig>, now: Date): Alert[] {
  const alerts: Alert[] = [];
  for (const head of oldestPerQueue(heads)) {
    const due = overdue(orgs, head.orgId, "queue_age", head.waitingSince, now);
    if (!due) continue;
    const { org, threshold, forMs } = due;
    alerts.push({
      id: `queue_age:${head.queueId}`,
      kind: "queue_age",
      orgId: head.orgId,
      orgName: org.name,
      queue: { id: head.queueId, name: head.queueName },
      execution: { id: head.executionId, flowId: head.flowId, flowName: head.flowName },
      worker: null,
      since: head.waitingSince,
      forMs,
      thresholdMs: threshold.ms,
      thresholdSource: threshold.source,
      message: `Queue ${quoted(head.queueName)}: its oldest startable execution${flowPart(head.flowName)} has waited ${durationInWords(forMs)} (alert after ${durationInWords(threshold.ms)}).`,
    });
  }
  return alerts;
}

/** One alert per execution whose current run has lasted longer than the org's stuck-run threshold. */
export function stuckRunAlerts(runs: readonly RunningExecution[], orgs: ReadonlyMap<string, OrgAlertConfig>, now: Date): Alert[] {
  const alerts: Alert[] = [];
  for (const run of runs) {
    const due = overdue(orgs, run.orgId, "stuck_run", run.runningSince, now);
    if (!due) continue;
    const { org, threshold, forMs } = due;
    const worker = run.workerId !== null && run.workerName !== null ? { id: run.workerId, name: run.workerName } : null;
    alerts.push({
      id: `stuck_run:${run.executionId}`,
      kind: "stuck_run",
      orgId: run.orgId,
      orgName: org.name,
      queue: { id: run.queueId, name: run.queueName },
      execution: { id: run.executionId, flowId: run.flowId, flowName: run.flowName },
      worker,
      since: run.runningSince,
      forMs,
      thresholdMs: threshold.ms,
      thresholdSource: threshold.source,
      message: `Execution ${run.executionId.slice(0, 8)}${flowPart(run.flowName)} has been running for ${durationInWords(forMs)}${worker ? ` on worker ${quoted(worker.name)}` : ""} (alert after ${durationInWords(threshold.ms)}).`,
    });
  }
  return alerts;
}

/** Most overdue first (the longest past its threshold, relatively), then by id: a stable order to list and to cut. */
export function rankAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((a, b) => b.forMs / b.thresholdMs - a.forMs / a.thresholdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function countByKind(alerts: readonly Alert[]): Record<AlertKind, number> {
  return { queue_age: alerts.filter((a) => a.kind === "queue_age").length, stuck_run: alerts.filter((a) => a.kind === "stuck_run").length };
}
