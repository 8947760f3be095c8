/** One query-key scheme for the whole UI: area → list(filters) / detail(id). */
export const queryKeys = {
  fairScheduler: {
    all: ["fair-scheduler"] as const,
    orgs: () => [...queryKeys.fairScheduler.all, "orgs"] as const,
    org: (orgId: string) => [...queryKeys.fairScheduler.all, "org", orgId] as const,
  },
  /** An org's configuration lists (projects and pools carry live usage too). */
  config: {
    all: ["config"] as const,
    projects: (orgId: string) => [...queryKeys.config.all, "projects", orgId] as const,
    pools: (orgId: string) => [...queryKeys.config.all, "pools", orgId] as const,
  },
  parallelSettings: {
    all: ["parallel-settings"] as const,
    details: (orgId: string) => [...queryKeys.parallelSettings.all, "details", orgId] as const,
  },
};

/**
 * Live data arrives through server-sent events (use-live-updates.ts); this slower poll is
 * only the fallback for when the stream is down.
 */
export const LIVE_INTERVAL_MS = 5_000;
