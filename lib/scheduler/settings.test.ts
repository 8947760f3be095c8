import { describe, expect, it } from "vitest";
import { effectiveSettings, settingDetails } from "./settings";

describe("parallel execution settings", () => {
  it("current_value = min(env_value, settings_value), as in the seed's details response", () => {
    const env = { jobs: 5, workflows: 100, access_requests: 2, max_paused_slots: 10 };
    const configured = { jobs: 20, workflows: 4, access_requests: 2, max_paused_slots: 50 };
    expect(effectiveSettings(env, configured)).toEqual({ jobs: 5, workflows: 4, access_requests: 2, max_paused_slots: 10 });
    expect(settingDetails(env, configured).jobs).toEqual({ current_value: 5, env_value: 5, settings_value: 20 });
    expect(settingDetails(env, configured).workflows).toEqual({ current_value: 4, env_value: 100, settings_value: 4 });
  });
});
