export type SampleWindow = "15m" | "1h" | "6h" | "24h";

/** One query-key scheme for the whole UI: area → list(filters) / detail(id). */
export const queryKeys = {
  fairScheduler: {
    all: ["fair-scheduler"] as const,
    orgs: () => [...queryKeys.fairScheduler.all, "orgs"] as const,
    org: (orgId: string) => [...queryKeys.fairScheduler.all, "org", orgId] as const,
    /** Every org's in-flight over time (platform chart). */
    samples: (window: SampleWindow) => [...queryKeys.fairScheduler.all, "samples", { window }] as const,
    /** One org's in-flight and queued over time. */
    orgSamples: (orgId: string, window: SampleWindow) => [...queryKeys.fairScheduler.org(orgId), "samples", { window }] as const,
  },
  platform: {
    all: ["platform"] as const,
    settings: () => [...queryKeys.platform.all, "settings"] as const,
  },
  audit: {
    all: ["audit"] as const,
    list: (filters: { orgId?: string; before?: number }) => [...queryKeys.audit.all, "list", filters] as const,
  },
  /** An org's configuration lists (flows, projects and pools carry live counts too). */
  config: {
    all: ["config"] as const,
    flows: (orgId: string) => [...queryKeys.config.all, "flows", orgId] as const,
    projects: (orgId: string) => [...queryKeys.config.all, "projects", orgId] as const,
    queues: (orgId: string) => [...queryKeys.config.all, "queues", orgId] as const,
    pools: (orgId: string) => [...queryKeys.config.all, "pools", orgId] as const,
  },
  parallelSettings: {
    all: ["parallel-settings"] as const,
    details: (orgId: string) => [...queryKeys.parallelSettings.all, "details", orgId] as const,
  },
  flows: {
    all: ["flows"] as const,
    concurrency: (flowId: string) => [...queryKeys.flows.all, "concurrency", flowId] as const,
    samples: (flowId: string) => [...queryKeys.flows.all, "samples", flowId] as const,
    /** Mutation key of an edit of the flow's limit and behavior, so screens can show it while it is pending. */
    edit: (flowId: string) => [...queryKeys.flows.all, "edit", flowId] as const,
  },
  executions: {
    all: ["executions"] as const,
    list: (filters: Record<string, string | undefined>) => [...queryKeys.executions.all, "list", filters] as const,
    detail: (id: string) => [...queryKeys.executions.all, "detail", id] as const,
  },
};

/**
 * Live data arrives through server-sent events (use-live-updates.ts); this slower poll is
 * only the fallback for when the stream is down.
 */
export const LIVE_INTERVAL_MS = 5_000;
