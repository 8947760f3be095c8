// Chart series from concurrency samples, as pure functions. The sampler writes one row per
// org every few seconds; a chart wants at most a few hundred points and, across 1 000 orgs,
// a handful of named series. So samples are averaged into time buckets (SQL), and the
// platform chart names the busiest orgs and stacks everyone else as "other" (here).

/** How often the sweeper samples (lib/dispatch/sweeper.ts): no bucket is finer than this. */
export const SAMPLE_EVERY_SECONDS = 5;
/** Points per chart at most: enough for a smooth line, small enough to send every refresh. */
export const MAX_POINTS = 120;
/** Named orgs on the platform chart unless the caller asks for another number. */
export const DEFAULT_TOP_ORGS = 8;

/**
 * The bucket width, in whole sampling intervals, that fits the window into MAX_POINTS (one
 * more at most: a window that arrives a moment longer than asked, "one hour ago" computed
 * before the request travelled, keeps the round bucket size instead of jumping to the next).
 */
export function bucketSecondsFor(windowMs: number): number {
  const intervalsPerPoint = Math.max(windowMs, 0) / 1000 / MAX_POINTS / SAMPLE_EVERY_SECONDS;
  return Math.max(1, Math.ceil(intervalsPerPoint - 0.05)) * SAMPLE_EVERY_SECONDS;
}

/** Averages of a bucket are fractional; two decimals are plenty on a chart. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface OrgSamplePoint {
  at: string;
  inFlight: number;
  queued: number;
}

/** GET /api/fair-scheduler/orgs/{orgId}/samples */
export interface OrgSamples {
  since: string;
  bucketSeconds: number;
  points: OrgSamplePoint[];
}

export interface StackedPoint {
  at: string;
  /** Average in-flight per named org (absent = 0). */
  inFlight: Record<string, number>;
  /** Everyone not named, summed. */
  other: number;
}

/** GET /api/fair-scheduler/samples */
export interface PlatformSamples {
  since: string;
  bucketSeconds: number;
  /** The named orgs, busiest first. */
  series: { organizationId: string; name: string }[];
  /** Whether some orgs were folded into "other". */
  hasOther: boolean;
  points: StackedPoint[];
}

/**
 * One row per bucket (orgId null: the bucket exists, i.e. the sampler ran) and per org
 * that had something in flight in it.
 */
export interface BucketRow {
  at: Date;
  orgId: string | null;
  inFlight: number;
}

/**
 * Names the `top` orgs with the most in-flight work over the window (ties by name, so the
 * order is stable between refreshes) and sums the rest into "other".
 */
export function stackTopOrgs(rows: readonly BucketRow[], names: ReadonlyMap<string, string>, top: number): Omit<PlatformSamples, "since" | "bucketSeconds"> {
  const totals = new Map<string, number>();
  for (const r of rows) if (r.orgId !== null) totals.set(r.orgId, (totals.get(r.orgId) ?? 0) + r.inFlight);
  const nameOf = (id: string) => names.get(id) ?? id;
  const ranked = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || nameOf(a).localeCompare(nameOf(b)));
  const named = new Set(ranked.slice(0, top));

  const points = new Map<number, StackedPoint>();
  for (const r of rows) {
    const key = r.at.getTime();
    let point = points.get(key);
    if (!point) points.set(key, (point = { at: r.at.toISOString(), inFlight: {}, other: 0 }));
    if (r.orgId === null) continue;
    if (named.has(r.orgId)) point.inFlight[r.orgId] = round2(r.inFlight);
    else point.other = round2(point.other + r.inFlight);
  }
  return {
    series: ranked.slice(0, top).map((id) => ({ organizationId: id, name: nameOf(id) })),
    hasOther: ranked.length > top,
    points: [...points.entries()].sort(([a], [b]) => a - b).map(([, p]) => p),
  };
}
