/** One query-key scheme for the whole UI: area → list(filters) / detail(id). */
export const queryKeys = {
  fairScheduler: {
    all: ["fair-scheduler"] as const,
    orgs: () => [...queryKeys.fairScheduler.all, "orgs"] as const,
    org: (orgId: string) => [...queryKeys.fairScheduler.all, "org", orgId] as const,
  },
};

/** Live data: refetch every second while the tab is visible. */
export const LIVE_INTERVAL_MS = 1_000;
