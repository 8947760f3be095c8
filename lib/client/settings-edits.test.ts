import { describe, expect, it } from "vitest";
import { applyFlowEdit, applyParallelEdit, applyProjectEdit, environmentWarning, type ParallelDetails, type ProjectRow } from "./settings-edits";

const project: ProjectRow & { name: string; inFlight: number } = { id: "p1", name: "web", maxConcurrentJobs: 3, poolId: null, inFlight: 1, effectiveMaxConcurrentJobs: 3, platformDefaultConcurrentJobs: 5 };

describe("optimistic settings edits", () => {
  it("a project edit sets the override and pool; clearing the override falls back to the platform default", () => {
    expect(applyProjectEdit(project, { projectId: "p1", maxConcurrentJobs: 8, poolId: "pool" })).toMatchObject({ maxConcurrentJobs: 8, effectiveMaxConcurrentJobs: 8, poolId: "pool", inFlight: 1 });
    expect(applyProjectEdit(project, { projectId: "p1", maxConcurrentJobs: null, poolId: null })).toMatchObject({ maxConcurrentJobs: null, effectiveMaxConcurrentJobs: 5 });
    expect(applyProjectEdit(project, { projectId: "p2", maxConcurrentJobs: 1, poolId: null })).toBe(project);
  });

  it("a parallel settings edit recomputes current_value = min(env_value, settings_value)", () => {
    const details: ParallelDetails = {
      jobs: { env_value: 100, settings_value: 10, current_value: 10 },
      workflows: { env_value: 4, settings_value: 2, current_value: 2 },
      access_requests: { env_value: 100, settings_value: 1, current_value: 1 },
      max_paused_slots: { env_value: 1000, settings_value: 0, current_value: 0 },
    };
    const edited = applyParallelEdit(details, { jobs: 150, workflows: 3 });
    expect(edited.jobs).toEqual({ env_value: 100, settings_value: 150, current_value: 100 });
    expect(edited.workflows).toEqual({ env_value: 4, settings_value: 3, current_value: 3 });
    expect(edited.access_requests).toEqual(details.access_requests);
    expect(environmentWarning(edited.jobs)).toBe("Limited by the environment: 100 is in effect, not the configured 150.");
    expect(environmentWarning(edited.workflows)).toBeNull();
  });

  it("a flow edit sets concurrency and only the limits it carries; the rate window follows its rate limit", () => {
    const flow = {
      concurrency: { limit: 2, behavior: "QUEUE" as const }, rateLimit: null, rateWindow: null, maxQueued: 5,
      debounce: { source: "submission" as const, delayMs: 1_000, maxDelayMs: 5_000 }, retry: null,
    };
    const concurrency = { limit: 3, behavior: "CANCEL" as const };
    expect(applyFlowEdit(flow, { concurrency })).toEqual({ ...flow, concurrency });
    const rated = applyFlowEdit(flow, { concurrency, rateLimit: { limit: 2, periodMs: 60_000 }, maxQueued: null, debounce: null });
    expect(rated).toEqual({ concurrency, rateLimit: { limit: 2, periodMs: 60_000 }, rateWindow: { starts: 0, nextStartAt: null }, maxQueued: null, debounce: null, retry: null });
    const retry = { maxAttempts: 3, backoff: { initialMs: 1_000, factor: 2, maxMs: 60_000 }, jitter: 0 };
    expect(applyFlowEdit(flow, { concurrency, retry })).toEqual({ ...flow, concurrency, retry });
    const counted = { ...rated, rateWindow: { starts: 2, nextStartAt: "2026-12-02T12:00:00.000Z" } };
    expect(applyFlowEdit(counted, { concurrency, rateLimit: { limit: 5, periodMs: 60_000 } }).rateWindow).toEqual(counted.rateWindow);
    expect(applyFlowEdit(counted, { concurrency, rateLimit: null })).toMatchObject({ rateLimit: null, rateWindow: null });
    expect(applyFlowEdit(flow, undefined)).toBe(flow);
  });
});
