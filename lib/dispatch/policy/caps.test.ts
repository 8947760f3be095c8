import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capStatuses, capsFor, fullCaps, roomUnder, type CapCode, type CapConfig } from "./caps";
import { scopeKey, scopesOf, type Placement } from "./scopes";

const noCaps: CapConfig = {
  globalCapacity: 0,
  orgMaxConcurrency: 0,
  settings: { jobs: 0, workflows: 0, access_requests: 0, max_paused_slots: 0 },
  projectLimit: 0,
  poolLimit: null,
  flowLimit: null,
  queueConcurrency: 0,
  parentConcurrency: null,
  grandparentConcurrency: null,
};
const settings = (s: Partial<CapConfig["settings"]>): Partial<CapConfig> => ({ settings: { ...noCaps.settings, ...s } });

const job: Placement = { orgId: "o", projectId: "p", poolId: null, flowId: null, queueId: "q", kind: "job", depth: 0, parentId: null, rootId: null };
const accessRequest: Placement = { ...job, kind: "access_request" };
const child: Placement = { ...job, kind: "workflow", depth: 1, parentId: "r", rootId: "r" };
const grandchild: Placement = { ...job, kind: "workflow", depth: 2, parentId: "m", rootId: "r" };
const pooled = (p: Placement): Placement => ({ ...p, poolId: "pl", flowId: "f" });
const shapes = { job, accessRequest, child, grandchild } as const;
type Shape = keyof typeof shapes;
const codes = (p: Placement, c: Partial<CapConfig>) => capsFor(p, { ...noCaps, ...c }).map((cap) => `${cap.code}:${cap.scope}:${cap.limit}`);

describe("which caps apply (one cap configured at a time)", () => {
  const table: { code: CapCode; limit: number; config: Partial<CapConfig>; appliesTo: Record<Shape, string | null> }[] = [
    { code: "global", limit: 40, config: { globalCapacity: 40 }, appliesTo: { job: "global", accessRequest: "global", child: "global", grandchild: "global" } },
    { code: "org", limit: 6, config: { orgMaxConcurrency: 6 }, appliesTo: { job: "org:o", accessRequest: "org:o", child: "org:o", grandchild: "org:o" } },
    { code: "jobs", limit: 3, config: settings({ jobs: 3 }), appliesTo: { job: "jobs:o", accessRequest: null, child: null, grandchild: null } },
    { code: "access_requests", limit: 2, config: settings({ access_requests: 2 }), appliesTo: { job: null, accessRequest: "access_requests:o", child: null, grandchild: null } },
    { code: "workflows", limit: 4, config: settings({ workflows: 4 }), appliesTo: { job: null, accessRequest: null, child: "descendants:r", grandchild: "descendants:r" } },
    { code: "pipeline", limit: 5, config: { parentConcurrency: 5 }, appliesTo: { job: null, accessRequest: null, child: "descendants:r", grandchild: "descendants:m" } },
    { code: "controller", limit: 7, config: { grandparentConcurrency: 7 }, appliesTo: { job: null, accessRequest: null, child: null, grandchild: "descendants:r" } },
    { code: "project", limit: 8, config: { projectLimit: 8 }, appliesTo: { job: "project:p", accessRequest: "project:p", child: "project:p", grandchild: "project:p" } },
    { code: "queue", limit: 9, config: { queueConcurrency: 9 }, appliesTo: { job: "queue:q", accessRequest: "queue:q", child: "queue:q", grandchild: "queue:q" } },
  ];

  for (const { code, limit, config, appliesTo } of table) {
    it.each(Object.entries(appliesTo) as [Shape, string | null][])(`${code} for %s → %s`, (shape, scope) => {
      const caps = capsFor(shapes[shape], { ...noCaps, ...config });
      expect(caps).toEqual(scope === null ? [] : [{ code, scope, limit }]);
    });
  }

  it.each(Object.keys(shapes) as Shape[])("pool and flow apply to a %s exactly when it has them", (shape) => {
    expect(codes(shapes[shape], { poolLimit: 5, flowLimit: 2 })).toEqual([]);
    expect(codes(pooled(shapes[shape]), { poolLimit: 5, flowLimit: 2 })).toEqual(["pool:pool:pl:5", "flow:flow:f:2"]);
  });

  it("project uses whatever limit it is given, including the platform default for an empty override", () => {
    const platformDefault = 12;
    expect(codes(job, { projectLimit: platformDefault })).toEqual(["project:project:p:12"]);
  });

  it("a depth-2 execution with everything configured gets all eleven caps, in table order", () => {
    const all: CapConfig = {
      globalCapacity: 40, orgMaxConcurrency: 20, settings: { jobs: 3, workflows: 4, access_requests: 2, max_paused_slots: 1 },
      projectLimit: 8, poolLimit: 6, flowLimit: 5, queueConcurrency: 9, parentConcurrency: 2, grandparentConcurrency: 3,
    };
    expect(codes(pooled(grandchild), all)).toEqual([
      "global:global:40", "org:org:o:20", "workflows:descendants:r:4", "pipeline:descendants:m:2", "controller:descendants:r:3",
      "project:project:p:8", "pool:pool:pl:6", "flow:flow:f:5", "queue:queue:q:9",
    ]);
    expect(codes(pooled(job), all)).toEqual(["global:global:40", "org:org:o:20", "jobs:jobs:o:3", "project:project:p:8", "pool:pool:pl:6", "flow:flow:f:5", "queue:queue:q:9"]);
    expect(codes(pooled(accessRequest), all)).toContain("access_requests:access_requests:o:2");
  });

  it("depth 1 ignores a grandparent concurrency; depth 2 uses the parent's for pipeline, the root's for controller", () => {
    expect(codes(child, { parentConcurrency: 4, grandparentConcurrency: 9 })).toEqual(["pipeline:descendants:r:4"]);
    expect(codes(grandchild, { parentConcurrency: 4, grandparentConcurrency: 2 })).toEqual(["pipeline:descendants:m:4", "controller:descendants:r:2"]);
  });

  it("0 and null mean no cap, for every cap", () => {
    expect(capsFor(pooled(grandchild), noCaps)).toEqual([]);
    expect(capsFor(pooled(job), noCaps)).toEqual([]);
    expect(capsFor(pooled(accessRequest), noCaps)).toEqual([]);
    expect(capsFor(grandchild, { ...noCaps, parentConcurrency: 0, grandparentConcurrency: 0, poolLimit: 0, flowLimit: 0 })).toEqual([]);
  });

  it("every cap counts a scope the execution itself is counted in (property)", () => {
    const limit = fc.integer({ min: 0, max: 3 });
    const config = fc.record({
      globalCapacity: limit, orgMaxConcurrency: limit, projectLimit: limit, queueConcurrency: limit,
      settings: fc.record({ jobs: limit, workflows: limit, access_requests: limit, max_paused_slots: limit }),
      poolLimit: fc.option(limit), flowLimit: fc.option(limit), parentConcurrency: fc.option(limit), grandparentConcurrency: fc.option(limit),
    });
    const shape = fc.constantFrom(...(Object.keys(shapes) as Shape[]));
    fc.assert(
      fc.property(shape, fc.boolean(), config, (s, withPool, c) => {
        const p = withPool ? pooled(shapes[s]) : shapes[s];
        const scopes = new Set(scopesOf(p));
        for (const cap of capsFor(p, c)) {
          expect(scopes.has(cap.scope)).toBe(true);
          expect(cap.limit).toBeGreaterThan(0);
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe("full caps and room", () => {
  const caps = capsFor(job, { ...noCaps, globalCapacity: 10, orgMaxConcurrency: 3, projectLimit: 5 });
  const counts = (global: number, org: number, project: number) =>
    new Map([[scopeKey.global(), global], [scopeKey.org("o"), org], [scopeKey.project("p"), project]]);

  it("reports each cap's in-flight count, 0 for unseen scopes", () => {
    expect(capStatuses(caps, new Map([[scopeKey.org("o"), 2]])).map((c) => [c.code, c.inFlight])).toEqual([["global", 0], ["org", 2], ["project", 0]]);
  });

  it("a cap is full exactly when in-flight reaches its limit", () => {
    expect(fullCaps(caps, new Map())).toEqual([]);
    expect(fullCaps(caps, counts(9, 2, 4))).toEqual([]);
    expect(fullCaps(caps, counts(10, 2, 5))).toEqual([
      { code: "global", scope: "global", limit: 10, inFlight: 10 },
      { code: "project", scope: "project:p", limit: 5, inFlight: 5 },
    ]);
  });

  it("room is Infinity with no caps, whatever the counts", () => {
    expect(roomUnder([], new Map())).toBe(Number.POSITIVE_INFINITY);
    expect(roomUnder([], counts(1000, 1000, 1000))).toBe(Number.POSITIVE_INFINITY);
  });

  it("room is the tightest cap's room", () => {
    expect(roomUnder(caps, new Map())).toBe(3);
    expect(roomUnder(caps, counts(1, 1, 1))).toBe(2);
    expect(roomUnder(caps, counts(8, 0, 1))).toBe(2);
    expect(roomUnder(caps, counts(5, 0, 4))).toBe(1);
    expect(roomUnder(caps, counts(5, 3, 0))).toBe(0);
  });

  it("room is never negative after a cap was lowered below in-flight, and that cap reports full", () => {
    const over = counts(4, 7, 1);
    expect(roomUnder(caps, over)).toBe(0);
    expect(fullCaps(caps, over)).toEqual([{ code: "org", scope: "org:o", limit: 3, inFlight: 7 }]);
  });

  it("room = max(0, min(limit − in-flight)) for any counts (property)", () => {
    fc.assert(
      fc.property(fc.nat(15), fc.nat(15), fc.nat(15), (g, o, p) => {
        expect(roomUnder(caps, counts(g, o, p))).toBe(Math.max(0, Math.min(10 - g, 3 - o, 5 - p)));
        expect(fullCaps(caps, counts(g, o, p)).length > 0).toBe(roomUnder(caps, counts(g, o, p)) === 0);
      }),
      { seed: 5 },
    );
  });
});
