// Parallel execution settings: each effective value is min(environment ceiling, org setting).
// Only operators change the environment ceilings; org admins change the settings.

export interface ParallelSettings {
  jobs: number;
  workflows: number;
  access_requests: number;
  max_paused_slots: number;
}

export type SettingName = keyof ParallelSettings;
export const SETTING_NAMES: readonly SettingName[] = ["jobs", "workflows", "access_requests", "max_paused_slots"];

export interface SettingDetails {
  current_value: number;
  env_value: number;
  settings_value: number;
}

export function effectiveSettings(envLimits: ParallelSettings, configured: ParallelSettings): ParallelSettings {
  return {
    jobs: Math.min(envLimits.jobs, configured.jobs),
    workflows: Math.min(envLimits.workflows, configured.workflows),
    access_requests: Math.min(envLimits.access_requests, configured.access_requests),
    max_paused_slots: Math.min(envLimits.max_paused_slots, configured.max_paused_slots),
  };
}

export function settingDetails(envLimits: ParallelSettings, configured: ParallelSettings): Record<SettingName, SettingDetails> {
  const current = effectiveSettings(envLimits, configured);
  const entry = (name: SettingName): SettingDetails => ({
    current_value: current[name],
    env_value: envLimits[name],
    settings_value: configured[name],
  });
  return {
    jobs: entry("jobs"),
    workflows: entry("workflows"),
    access_requests: entry("access_requests"),
    max_paused_slots: entry("max_paused_slots"),
  };
}
