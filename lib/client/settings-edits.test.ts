import { describe, expect, it } from "vitest";
import { applyParallelEdit, applyProjectEdit, environmentWarning, type ParallelDetails, type ProjectRow } from "./settings-edits";

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
});
