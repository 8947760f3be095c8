import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addTo, countOf, scopeKey, scopesOf, type Placement } from "./scopes";

const job: Placement = { orgId: "o", projectId: "p", poolId: null, flowId: null, queueId: "q", kind: "job", depth: 0, parentId: null, rootId: null };
const accessRequest: Placement = { ...job, kind: "access_request" };
const child: Placement = { ...job, kind: "workflow", depth: 1, parentId: "r", rootId: "r" };
const grandchild: Placement = { ...job, kind: "workflow", depth: 2, parentId: "m", rootId: "r" };
const sorted = (keys: string[]) => [...keys].sort();

describe("scope keys", () => {
  it("are plain strings naming the scope and its id", () => {
    expect([
      scopeKey.global(), scopeKey.org("o1"), scopeKey.jobs("o1"), scopeKey.accessRequests("o1"), scopeKey.descendants("e1"),
      scopeKey.project("p1"), scopeKey.pool("pl1"), scopeKey.flow("f1"), scopeKey.queue("q1"),
    ]).toEqual(["global", "org:o1", "jobs:o1", "access_requests:o1", "descendants:e1", "project:p1", "pool:pl1", "flow:f1", "queue:q1"]);
  });

  it("do not collide across scope types sharing an id", () => {
    const keys = [scopeKey.org("x"), scopeKey.jobs("x"), scopeKey.accessRequests("x"), scopeKey.descendants("x"), scopeKey.project("x"), scopeKey.pool("x"), scopeKey.flow("x"), scopeKey.queue("x")];
    expect(new Set(keys).size).toBe(8);
  });
});

describe("scopesOf", () => {
  it("top-level job: global, org, project, queue and the org's jobs", () => {
    expect(sorted(scopesOf(job))).toEqual(["global", "jobs:o", "org:o", "project:p", "queue:q"]);
  });

  it("access request: the org's access_requests instead of jobs", () => {
    expect(sorted(scopesOf(accessRequest))).toEqual(["access_requests:o", "global", "org:o", "project:p", "queue:q"]);
  });

  it("depth 1: counts once among the root's descendants (parent is the root), not as a job", () => {
    expect(sorted(scopesOf(child))).toEqual(["descendants:r", "global", "org:o", "project:p", "queue:q"]);
  });

  it("depth 2: counts among the descendants of both its parent and the root", () => {
    expect(sorted(scopesOf(grandchild))).toEqual(["descendants:m", "descendants:r", "global", "org:o", "project:p", "queue:q"]);
  });

  it("pool and flow scopes only when the placement has them", () => {
    expect(scopesOf({ ...job, poolId: "pl" })).toContain("pool:pl");
    expect(scopesOf({ ...job, flowId: "f" })).toContain("flow:f");
    expect(scopesOf(job).filter((k) => k.startsWith("pool:") || k.startsWith("flow:"))).toEqual([]);
    expect(sorted(scopesOf({ ...grandchild, poolId: "pl", flowId: "f" }))).toEqual([
      "descendants:m", "descendants:r", "flow:f", "global", "org:o", "pool:pl", "project:p", "queue:q",
    ]);
  });

  it("never lists a scope twice (property)", () => {
    const placement = fc.record({
      orgId: fc.constantFrom("o1", "o2"),
      projectId: fc.constantFrom("p1", "p2"),
      poolId: fc.constantFrom(null, "pl1"),
      flowId: fc.constantFrom(null, "f1"),
      queueId: fc.constantFrom("q1", "q2"),
      shape: fc.constantFrom("job", "access_request", "child", "grandchild"),
      root: fc.constantFrom("r1", "r2"),
      mid: fc.constantFrom("m1", "m2"),
    });
    fc.assert(
      fc.property(placement, ({ shape, root, mid, ...rest }) => {
        const p: Placement =
          shape === "child" ? { ...rest, kind: "workflow", depth: 1, parentId: root, rootId: root }
          : shape === "grandchild" ? { ...rest, kind: "workflow", depth: 2, parentId: mid, rootId: root }
          : { ...rest, kind: shape, depth: 0, parentId: null, rootId: null };
        const keys = scopesOf(p);
        expect(new Set(keys).size).toBe(keys.length);
        // global, org, project, queue + jobs or access_requests (top level) or one per ancestor + pool + flow
        expect(keys.length).toBe(4 + Math.max(1, p.depth) + (p.poolId ? 1 : 0) + (p.flowId ? 1 : 0));
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("counts", () => {
  it("countOf is 0 for an unseen scope", () => {
    expect(countOf(new Map(), "org:nobody")).toBe(0);
  });

  it("addTo adds the delta to every key, creating missing ones, and can subtract", () => {
    const counts = new Map([["global", 3]]);
    addTo(counts, ["global", "org:o"]);
    expect([...counts]).toEqual([["global", 4], ["org:o", 1]]);
    addTo(counts, ["global", "org:o"], -1);
    expect([...counts]).toEqual([["global", 3], ["org:o", 0]]);
    addTo(counts, ["queue:q"], 5);
    expect(countOf(counts, "queue:q")).toBe(5);
  });

  it("recounting a set of executions gives one per execution in each of its scopes", () => {
    const counts = new Map<string, number>();
    for (const p of [job, accessRequest, child, grandchild, grandchild]) addTo(counts, scopesOf(p));
    expect(Object.fromEntries(counts)).toEqual({
      global: 5, "org:o": 5, "project:p": 5, "queue:q": 5, "jobs:o": 1, "access_requests:o": 1, "descendants:r": 3, "descendants:m": 2,
    });
  });
});
