import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/transaction";

// Prometheus metrics (prom-client). Gauges that describe shared state (in-flight, queued,
// lease expiries, kills, counter drift) are read from the database at scrape time, so every
// app instance reports the same truth; latency histograms are per instance.

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
           LEFT JOIN (SELECT lane_id, count(*) AS n FROM execution WHERE state = 'QUEUED' GROUP BY lane_id) c ON c.lane_id = l.id`,
      );
      this.set(rows[0]!.n);
    },
  });
  return { registry, dispatchSeconds, claimRequestSeconds, claimedTotal };
}

export function metrics(db: () => Db): Metrics {
  holder.__slotwiseMetricsDb = db;
  holder.__slotwiseMetrics ??= create();
  return holder.__slotwiseMetrics;
}
