/** One query-key scheme for the whole UI: area → list(filters) / detail(id). */
export type SampleWindow = "15m" | "1h" | "6h" | "24h";

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
};

/**
 * Live data arrives through server-sent events (use-live-updates.ts); this slower poll is
 * only the fallback for when the stream is down.
 */
export const LIVE_INTERVAL_MS = 5_000;
