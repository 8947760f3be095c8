import { describe, expect, it } from "vitest";
import { bucketSecondsFor, MAX_POINTS, stackTopOrgs, type BucketRow } from "./sample-series";

describe("bucketSecondsFor", () => {
  it("never goes below the sampling interval and keeps every window within MAX_POINTS", () => {
    expect(bucketSecondsFor(0)).toBe(5);
    expect(bucketSecondsFor(60_000)).toBe(5);
    for (const minutes of [1, 15, 60, 360, 1440, 1441]) {
      const bucket = bucketSecondsFor(minutes * 60_000);
      expect(bucket % 5).toBe(0);
      expect(Math.ceil((minutes * 60) / bucket)).toBeLessThanOrEqual(MAX_POINTS + 1);
    }
    expect(bucketSecondsFor(3_600_000)).toBe(30);
    expect(bucketSecondsFor(3_600_000 + 2_000)).toBe(30);
    expect(bucketSecondsFor(2 * 3_600_000)).toBe(60);
  });
});

describe("stackTopOrgs", () => {
  const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
  const names = new Map([["a", "Acme"], ["b", "Beta"], ["c", "Gamma"], ["d", "Delta"]]);

  it("names the busiest orgs, folds the rest into other, and keeps empty buckets", () => {
    const rows: BucketRow[] = [
      { at: t(0), orgId: null, inFlight: 0 },
      { at: t(0), orgId: "a", inFlight: 1 },
      { at: t(0), orgId: "b", inFlight: 5 },
      { at: t(0), orgId: "c", inFlight: 0.5 },
      { at: t(0), orgId: "d", inFlight: 0.25 },
      { at: t(5), orgId: null, inFlight: 0 },
      { at: t(10), orgId: null, inFlight: 0 },
      { at: t(10), orgId: "a", inFlight: 2 },
    ];
    expect(stackTopOrgs(rows, names, 2)).toEqual({
      series: [{ organizationId: "b", name: "Beta" }, { organizationId: "a", name: "Acme" }],
      hasOther: true,
      points: [
        { at: t(0).toISOString(), inFlight: { a: 1, b: 5 }, other: 0.75 },
        { at: t(5).toISOString(), inFlight: {}, other: 0 },
        { at: t(10).toISOString(), inFlight: { a: 2 }, other: 0 },
      ],
    });
  });

  it("breaks ties by name, so the series keep their order between refreshes", () => {
    const rows: BucketRow[] = [
      { at: t(0), orgId: "c", inFlight: 1 },
      { at: t(0), orgId: "a", inFlight: 1 },
    ];
    const result = stackTopOrgs(rows, names, 8);
    expect(result.series.map((s) => s.name)).toEqual(["Acme", "Gamma"]);
    expect(result.hasOther).toBe(false);
  });

  it("returns no series and no points without samples", () => {
    expect(stackTopOrgs([], names, 8)).toEqual({ series: [], hasOther: false, points: [] });
  });
});
