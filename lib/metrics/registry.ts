import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/transaction";
import { CHARGED_STARTS } from "../dispatch/sql/rate-windows";
import { firingAlertCounts, longestQueueWaits } from "../alerts/list-alerts";
import { ALERT_KINDS } from "../alerts/thresholds";

// Prometheus metrics (prom-client). Gauges that describe shared state (in-flight, queued,
// lease expiries, kills, counter drift) are read from the database at scrape time, so every
// app instance reports the same truth; latency histograms are per instance.

/** Keys reported by slotwise_key_in_flight: a label per key would have no bound. */
const TOP_KEYS = 20;
/** Queues reported by slotwise_queue_oldest_wait_seconds: the longest waits only (bounded cardinality). */
const TOP_QUEUES = 20;

interface Metrics {
  registry: Registry;
  dispatchSeconds: Histogram;
  claimRequestSeconds: Histogram;
  claimedTotal: Counter;
}

const holder = globalThis as typeof globalThis & { __slotwiseMetrics?: Metrics; __slotwiseMetricsDb?: () => Db };

function create(): Metrics {
  const registry = new Registry();
  const db = () => holder.__slotwiseMetricsDb!();
  const dispatchSeconds = new Histogram({
    name: "slotwise_dispatch_seconds",
    help: "Time of one dispatch transaction (complete + claim), in seconds.",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const claimRequestSeconds = new Histogram({
    name: "slotwise_claim_request_seconds",
    help: "Time of a worker's claim request including any long-poll wait, in seconds.",
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const claimedTotal = new Counter({ name: "slotwise_claimed_total", help: "Executions handed to workers by this instance.", registers: [registry] });
  new Gauge({
    name: "slotwise_in_flight",
    help: "Executions holding a slot, per organization.",
    labelNames: ["org"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ slug: string; n: number }>(
        "SELECT o.slug, count(e.id)::int AS n FROM organization o LEFT JOIN execution e ON e.org_id = o.id AND e.holds_slot GROUP BY o.slug",
      );
      for (const r of rows) this.set({ org: r.slug }, r.n);
    },
  });
  new Gauge({
    name: "slotwise_queued",
    help: "Queued executions, per organization.",
    labelNames: ["org"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ slug: string; n: number }>(
        "SELECT o.slug, COALESCE(sum(l.queued), 0)::int AS n FROM organization o LEFT JOIN dispatch_lane l ON l.org_id = o.id GROUP BY o.slug",
      );
      for (const r of rows) this.set({ org: r.slug }, r.n);
    },
  });
  new Gauge({
    name: "slotwise_lease_expiries_total",
    help: "Leases that expired (the execution was queued again or failed).",
    registers: [registry],
    async collect() {
      const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution_transition WHERE from_state = 'RUNNING' AND reason LIKE 'lease expired%'");
      this.set(rows[0]!.n);
    },
  });
  new Gauge({
    name: "slotwise_kills_total",
    help: "Executions killed.",
    registers: [registry],
    async collect() {
      const { rows } = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM execution_transition WHERE to_state = 'KILLED'");
      this.set(rows[0]!.n);
    },
  });
  new Gauge({
    name: "slotwise_counter_drift",
    help: "Sum of differences between lane queued counters and a recount (0 when healthy).",
    registers: [registry],
    async collect() {
      const { rows } = await db().query<{ n: number }>(
        `SELECT COALESCE(sum(abs(l.queued - COALESCE(c.n, 0))), 0)::int AS n FROM dispatch_lane l
           LEFT JOIN (SELECT lane_id, count(*) AS n FROM execution WHERE state = 'QUEUED' AND NOT holds_slot GROUP BY lane_id) c ON c.lane_id = l.id`,
      );
      this.set(rows[0]!.n);
    },
  });
  new Gauge({
    name: "slotwise_scheduled",
    help: "Executions waiting for their start time (delayed start, debounce), per organization.",
    labelNames: ["org"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ slug: string; n: number }>(
        "SELECT o.slug, count(e.id)::int AS n FROM organization o LEFT JOIN execution e ON e.org_id = o.id AND e.waiting_lane_id IS NOT NULL GROUP BY o.slug",
      );
      for (const r of rows) this.set({ org: r.slug }, r.n);
    },
  });
  new Gauge({
    name: "slotwise_key_in_flight",
    help: `Executions holding a slot per concurrency key: the ${TOP_KEYS} busiest keys only (bounded cardinality).`,
    labelNames: ["org", "rule", "key"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ slug: string; rule: string; key: string; n: number }>(
        `SELECT o.slug, r.name AS rule, k.value AS key, count(*)::int AS n
           FROM execution e CROSS JOIN LATERAL unnest(e.key_rule_ids, e.key_values) AS k(rule_id, value)
           JOIN concurrency_key_rule r ON r.id = k.rule_id JOIN organization o ON o.id = e.org_id
          WHERE e.holds_slot GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3 LIMIT ${TOP_KEYS}`,
      );
      for (const r of rows) this.set({ org: r.slug, rule: r.rule, key: r.key }, r.n);
    },
  });
  new Gauge({
    name: "slotwise_rate_limit_exhausted",
    help: "Rate limits whose window is used up right now (queued work under them waits for the window), per kind.",
    labelNames: ["kind"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ kind: string; n: number }>(
        `WITH w AS (SELECT scope, sum(n)::int AS n FROM ${CHARGED_STARTS} s GROUP BY scope),
              limits AS (
                SELECT 'org' AS kind, 'rate:org:' || id AS scope, rate_limit AS lim FROM organization WHERE rate_limit IS NOT NULL
                UNION ALL SELECT 'flow', 'rate:flow:' || id, rate_limit FROM flow WHERE rate_limit IS NOT NULL
                UNION ALL SELECT 'queue', 'rate:queue:' || id, rate_limit FROM queue WHERE rate_limit IS NOT NULL)
         SELECT kind, count(*)::int AS n FROM (
           SELECT l.kind FROM w JOIN limits l USING (scope) WHERE w.n >= l.lim
           UNION ALL
           SELECT 'key' FROM w JOIN concurrency_key_rule r ON w.scope LIKE 'rate:key:' || r.id || ':%' WHERE r.rate_limit IS NOT NULL AND w.n >= r.rate_limit) x
          GROUP BY kind`,
      );
      for (const kind of ["org", "flow", "queue", "key"]) this.set({ kind }, rows.find((r) => r.kind === kind)?.n ?? 0);
    },
  });
  new Gauge({
    name: "slotwise_forced_executions",
    help: "Executions an admin ran now ignoring caps (docs/lifecycle.md), per state: waiting (QUEUED), running, paused, and finished (kept while their rows are).",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db().query<{ state: string; n: number }>(
        `SELECT CASE WHEN state IN ('QUEUED', 'RUNNING', 'PAUSED') THEN lower(state::text) ELSE 'finished' END AS state, count(*)::int AS n
           FROM execution WHERE forced_at IS NOT NULL GROUP BY 1`,
      );
      for (const state of ["queued", "running", "paused", "finished"]) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
    },
  });
  new Gauge({
    name: "slotwise_alerts_firing",
    help: "Alerts firing now, per kind: queue_age (a queue's oldest startable execution waits past its threshold), stuck_run (an execution runs past its threshold); docs/operations.md, \"Alerts\".",
    labelNames: ["kind"],
    registers: [registry],
    async collect() {
      this.reset();
      const firing = await firingAlertCounts(db());
      for (const kind of ALERT_KINDS) this.set({ kind }, firing[kind]);
    },
  });
  new Gauge({
    name: "slotwise_queue_oldest_wait_seconds",
    help: `How long the longest-waiting startable execution of a queue has waited, in seconds: the ${TOP_QUEUES} longest waits only (bounded cardinality; scheduled and paused executions aside).`,
    labelNames: ["org", "queue"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of await longestQueueWaits(db(), TOP_QUEUES)) this.set({ org: w.org, queue: w.queue }, w.seconds);
    },
  });
  return { registry, dispatchSeconds, claimRequestSeconds, claimedTotal };
}

export function metrics(db: () => Db): Metrics {
  holder.__slotwiseMetricsDb = db;
  holder.__slotwiseMetrics ??= create();
  return holder.__slotwiseMetrics;
}
