import { describe, expect, it } from "vitest";
import { capsFor, fullCaps, roomUnder, type CapConfig } from "./caps";
import { scopeKey, type Placement } from "./scopes";

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

const job: Placement = { orgId: "o", projectId: "p", poolId: null, flowId: null, queueId: "q", kind: "job", depth: 0, parentId: null, rootId: null };
const child: Placement = { ...job, kind: "workflow", depth: 1, parentId: "r", rootId: "r" };
const grandchild: Placement = { ...job, kind: "workflow", depth: 2, parentId: "m", rootId: "r" };
const codes = (p: Placement, c: Partial<CapConfig>) => capsFor(p, { ...noCaps, ...c }).map((cap) => `${cap.code}:${cap.scope}:${cap.limit}`);

describe("which caps apply", () => {
  it("0 and null mean no cap", () => {
    expect(capsFor(grandchild, noCaps)).toEqual([]);
  });

  it("global, org, project and queue apply to everything", () => {
    expect(codes(job, { globalCapacity: 10, orgMaxConcurrency: 5, projectLimit: 3, queueConcurrency: 2 })).toEqual([
      "global:global:10", "org:org:o:5", "project:project:p:3", "queue:queue:q:2",
    ]);
  });

  it("jobs applies to top-level jobs only, access_requests to access requests only", () => {
    const settings = { jobs: 4, workflows: 0, access_requests: 2, max_paused_slots: 0 };
    expect(codes(job, { settings })).toEqual(["jobs:jobs:o:4"]);
    expect(codes({ ...job, kind: "access_request" }, { settings })).toEqual(["access_requests:access_requests:o:2"]);
    expect(codes(child, { settings })).toEqual([]);
  });

  it("workflows per job counts descendants of the top-level ancestor", () => {
    const settings = { jobs: 0, workflows: 3, access_requests: 0, max_paused_slots: 0 };
    expect(codes(child, { settings })).toEqual(["workflows:descendants:r:3"]);
    expect(codes(grandchild, { settings })).toEqual(["workflows:descendants:r:3"]);
    expect(codes(job, { settings })).toEqual([]);
  });

  it("direct pipeline = parent's concurrency; controller = grandparent's, only at depth 2", () => {
    expect(codes(child, { parentConcurrency: 4, grandparentConcurrency: 9 })).toEqual(["pipeline:descendants:r:4"]);
    expect(codes(grandchild, { parentConcurrency: 4, grandparentConcurrency: 2 })).toEqual(["pipeline:descendants:m:4", "controller:descendants:r:2"]);
  });

  it("pool and flow apply when the execution has them", () => {
    expect(codes(job, { poolLimit: 5, flowLimit: 2 })).toEqual([]);
    expect(codes({ ...job, poolId: "pl", flowId: "f" }, { poolLimit: 5, flowLimit: 2 })).toEqual(["pool:pool:pl:5", "flow:flow:f:2"]);
  });
});

describe("room", () => {
  const caps = capsFor(job, { ...noCaps, orgMaxConcurrency: 3, projectLimit: 5 });

  it("is Infinity without caps and the tightest cap's room otherwise", () => {
    expect(roomUnder([], new Map())).toBe(Number.POSITIVE_INFINITY);
    expect(roomUnder(caps, new Map([[scopeKey.org("o"), 1], [scopeKey.project("p"), 1]]))).toBe(2);
  });

  it("is never negative after a cap was lowered below in-flight, and the cap reports full", () => {
    const counts = new Map([[scopeKey.org("o"), 7]]);
    expect(roomUnder(caps, counts)).toBe(0);
    expect(fullCaps(caps, counts)).toEqual([{ code: "org", scope: "org:o", limit: 3, inFlight: 7 }]);
  });
});
