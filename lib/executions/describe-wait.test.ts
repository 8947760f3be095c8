import { describe, expect, it } from "vitest";
import { describeWait } from "./describe-wait";

const cap = (cap: string, scope: string, inFlight: number, limit: number) =>
  ({ code: "cap_full", cap, scope, inFlight, limit, message: "" }) as const;

describe("why an execution waits, in words", () => {
  it("names the flow, project and pool whose cap is full, with the counts", () => {
    const names = { flows: new Map([["f1", "nightly"]]), projects: new Map([["p1", "data"]]), pools: new Map([["s1", "shared"]]) };
    expect(describeWait([cap("flow", "flow:f1", 2, 2), cap("project", "project:p1", 3, 3), cap("pool", "pool:s1", 4, 4)] as never, names)).toEqual([
      "Waiting: flow 'nightly' is at its limit (2 of 2 running).",
      "Waiting: project 'data' is at its Max Concurrent Jobs (3 of 3 running).",
      "Waiting: shared pool 'shared' is full (4 of 4 running).",
    ]);
  });

  it("falls back to 'its flow' when the name is not known", () => {
    expect(describeWait([cap("flow", "flow:unknown", 1, 1)] as never)).toEqual(["Waiting: its flow is at its limit (1 of 1 running)."]);
  });

  it("words the org-wide and platform caps and the queue's", () => {
    expect(describeWait([cap("org", "org:o", 5, 5), cap("global", "global", 40, 40), cap("jobs", "jobs:o", 10, 10), cap("queue", "queue:q", 2, 2)] as never, { queue: "urgent" })).toEqual([
      "Waiting: your organization is at its max concurrency (5 of 5 running).",
      "Waiting: the platform is at its global capacity (40 of 40 running).",
      "Waiting: your organization's parallel jobs setting is reached (10 of 10 running).",
      "Waiting: queue 'urgent' is at its concurrency (2 of 2 running).",
    ]);
  });

  it("says how many go first in fair order", () => {
    expect(describeWait([{ code: "fair_order", orgsAhead: 0, aheadInOrg: 3, message: "" }])).toEqual(["Waiting behind 3 executions of your organization in fair order."]);
    // The server stops counting past AHEAD_COUNT_LIMIT.
    expect(describeWait([{ code: "fair_order", orgsAhead: 0, aheadInOrg: 10_001, message: "" }])).toEqual(["Waiting behind more than 10,000 executions of your organization in fair order."]);
    expect(describeWait([{ code: "fair_order", orgsAhead: 1, aheadInOrg: 1, message: "" }])).toEqual([
      "Waiting behind 1 execution of your organization in fair order, and after 1 other organization with a lower load ratio.",
    ]);
  });

  it("says when no worker serves the queue", () => {
    expect(describeWait([{ code: "no_worker", queue: "default", message: "" }])).toEqual(["No live worker serves queue 'default'."]);
  });

  it("says nothing holds it back when there is no reason, and nothing at all when it is not queued", () => {
    expect(describeWait([])).toEqual(["Nothing holds it back: it starts at the next claim of a worker serving its queue."]);
    expect(describeWait(null)).toEqual([]);
  });
});
