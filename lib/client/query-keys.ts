// One query-key scheme for the whole UI (docs/architecture.md, "Live data"): everything about one
// org starts ["org", orgId] and everything platform-wide ["platform"]. A change event names the
// orgs it touched, and only their queries refetch (lib/client/live-refresh.ts).

export type SampleWindow = "15m" | "1h" | "6h" | "24h";

type Filters = Record<string, string | number | undefined>;

export const queryKeys = {
  platform: {
    all: ["platform"] as const,
    /** Every org's concurrency, weight and rank (the overview's table and capacity card). */
    orgs: () => ["platform", "orgs"] as const,
    settings: () => ["platform", "settings"] as const,
    /** Every API token (platform admins). */
    tokens: () => ["platform", "tokens"] as const,
    samples: (window: SampleWindow) => ["platform", "samples", { window }] as const,
    audit: (filters: Filters) => ["platform", "audit", filters] as const,
    /** Every org's firing alerts (GET /api/alerts). */
    alerts: () => ["platform", "alerts"] as const,
  },
  org: (orgId: string) => {
    const all = ["org", orgId] as const;
    return {
      all,
      concurrency: () => [...all, "concurrency"] as const,
      samples: (window: SampleWindow) => [...all, "samples", { window }] as const,
      flows: () => [...all, "flows"] as const,
      projects: () => [...all, "projects"] as const,
      queues: () => [...all, "queues"] as const,
      pools: () => [...all, "pools"] as const,
      parallelSettings: () => [...all, "parallel-settings"] as const,
      /** The org's name, slug, weight and cap. */
      info: () => [...all, "info"] as const,
      members: () => [...all, "members"] as const,
      /** The Workers tab: workers serving the org and its queues. */
      workers: () => [...all, "workers"] as const,
      tokens: () => [...all, "tokens"] as const,
      /** Under parallelSettings: refetched whenever the settings are. */
      pausedSlotsPreview: (value: number) => [...all, "parallel-settings", "preview", value] as const,
      audit: (filters: Filters) => [...all, "audit", filters] as const,
      executions: (filters: Filters) => [...all, "executions", "list", filters] as const,
      execution: (id: string) => [...all, "executions", "detail", id] as const,
      /** One flow as the flows list shows it (its rate window, backlog and debounce too). */
      flow: (flowId: string) => [...all, "flow", flowId, "detail"] as const,
      flowConcurrency: (flowId: string) => [...all, "flow", flowId, "concurrency"] as const,
      flowSamples: (flowId: string, window: SampleWindow) => [...all, "flow", flowId, "samples", { window }] as const,
      /** The org's rate limit and backlog cap with what waits now. */
      limits: () => [...all, "limits"] as const,
      /** The org's firing alerts and thresholds (GET /api/orgs/{orgId}/alerts). */
      alerts: () => [...all, "alerts"] as const,
      /** Everything about key rules (a write refetches all of it): the lists, each rule's keys and overrides. */
      keyRulesAll: () => [...all, "key-rules"] as const,
      keyRules: (filter: Filters) => [...all, "key-rules", "list", filter] as const,
      ruleKeys: (ruleId: string, query: Filters) => [...all, "key-rules", ruleId, "keys", query] as const,
      keyOverrides: (ruleId: string) => [...all, "key-rules", ruleId, "overrides"] as const,
      /** Mutation key of an edit of the flow's limit and behavior, so screens can show it while it is pending. */
      flowEdit: (flowId: string) => [...all, "flow", flowId, "edit"] as const,
    };
  },
};
