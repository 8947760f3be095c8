import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectiveSettings, settingDetails, SETTING_NAMES, type ParallelSettings } from "./parallel-settings";

describe("parallel execution settings", () => {
  // A common situation: the environment ceiling sits below what the org configured.
  const env: ParallelSettings = { jobs: 5, workflows: 100, access_requests: 2, max_paused_slots: 10 };
  const configured: ParallelSettings = { jobs: 20, workflows: 4, access_requests: 2, max_paused_slots: 50 };

  it("current_value = min(env_value, settings_value) for each setting", () => {
    expect(effectiveSettings(env, configured)).toEqual({ jobs: 5, workflows: 4, access_requests: 2, max_paused_slots: 10 });
  });

  it(":details reports current, env and settings values side by side for all four settings", () => {
    expect(settingDetails(env, configured)).toEqual({
      jobs: { current_value: 5, env_value: 5, settings_value: 20 },
      workflows: { current_value: 4, env_value: 100, settings_value: 4 },
      access_requests: { current_value: 2, env_value: 2, settings_value: 2 },
      max_paused_slots: { current_value: 10, env_value: 10, settings_value: 50 },
    });
  });

  it.each(SETTING_NAMES)("an env ceiling below the configured %s wins; above it, the configured value does", (name) => {
    const base: ParallelSettings = { jobs: 7, workflows: 7, access_requests: 7, max_paused_slots: 7 };
    expect(effectiveSettings({ ...base, [name]: 3 }, { ...base, [name]: 8 })[name]).toBe(3);
    expect(effectiveSettings({ ...base, [name]: 30 }, { ...base, [name]: 8 })[name]).toBe(8);
    expect(settingDetails({ ...base, [name]: 3 }, { ...base, [name]: 8 })[name]).toEqual({ current_value: 3, env_value: 3, settings_value: 8 });
  });

  it("a ceiling of 0 paused slots means paused executions never free a slot, whatever is configured", () => {
    expect(effectiveSettings({ ...env, max_paused_slots: 0 }, configured).max_paused_slots).toBe(0);
  });

  it("lists the four settings by their API names", () => {
    expect(SETTING_NAMES).toEqual(["jobs", "workflows", "access_requests", "max_paused_slots"]);
  });

  it("each setting is computed independently (property)", () => {
    const settingsArb = fc.record({ jobs: fc.nat(200), workflows: fc.nat(200), access_requests: fc.nat(200), max_paused_slots: fc.nat(200) });
    fc.assert(
      fc.property(settingsArb, settingsArb, (e, c) => {
        const details = settingDetails(e, c);
        for (const name of SETTING_NAMES) {
          expect(effectiveSettings(e, c)[name]).toBe(e[name] < c[name] ? e[name] : c[name]);
          expect(details[name]).toEqual({ current_value: Math.min(e[name], c[name]), env_value: e[name], settings_value: c[name] });
        }
      }),
      { seed: 13 },
    );
  });
});
