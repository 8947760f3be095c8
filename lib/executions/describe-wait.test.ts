import { describe, expect, it } from "vitest";
import { describeWait, untilInWords } from "./describe-wait";
import { explain } from "../dispatch/policy/explain";

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

  it("says what a paused execution waits for, and that a resumed one continues in the slot it kept", () => {
    const now = new Date("2026-12-03T12:00:00.000Z");
    const until = new Date("2026-12-03T13:00:00.000Z");
    const facts = { fullCaps: [], orgsAhead: 0, aheadInOrg: 0, workerServesQueue: true, queue: "default" };
    const approval = explain({ ...facts, state: "PAUSED", pause: { waitingFor: "approval", until, onDue: "fail", holdsSlot: true } });
    expect(approval).toEqual([expect.objectContaining({ code: "paused", waitingFor: "approval", until: until.toISOString(), onDue: "fail", holdsSlot: true })]);
    expect(describeWait(approval, {}, now)).toEqual([`Waiting for an org admin to approve it. If nobody does, it fails in 1 h (${until.toISOString()}). It keeps its slot meanwhile.`]);
    const untimed = explain({ ...facts, state: "PAUSED", pause: { waitingFor: "approval", until: null, onDue: null, holdsSlot: false } });
    expect(describeWait(untimed, {}, now)).toEqual(["Waiting for an org admin to approve it. Its slot is free meanwhile."]);
    const delay = explain({ ...facts, state: "PAUSED", pause: { waitingFor: "delay", until, onDue: "resume", holdsSlot: false } });
    expect(describeWait(delay, {}, now)).toEqual([`Paused: the platform resumes it in 1 h (${until.toISOString()}). Its slot is free meanwhile.`]);
    const resuming = explain({ ...facts, state: "QUEUED", resumingInSlot: true, workerServesQueue: false });
    expect(resuming.map((r) => r.code)).toEqual(["resuming", "no_worker"]);
    expect(describeWait(resuming)[0]).toBe("Resumed in the slot it kept: the next worker claiming queue 'default' continues it.");
  });

  it("rounds a wait to what a person reads at a glance", () => {
    const now = new Date("2026-12-03T12:00:00.000Z");
    const at = (ms: number) => untilInWords(new Date(now.getTime() + ms), now);
    expect([at(-1), at(400), at(12_400), at(59_600), at(150_000), at(3_592_800), at(5_400_000), at(3 * 86_400_000)]).toEqual([
      "now", "in under a second", "in 12 s", "in 1 min", "in 3 min", "in 1 h", "in 1.5 h", "in 3 d",
    ]);
  });
});
