import { env } from "../core/env";
import type { ParallelSettings } from "./policy/parallel-settings";

/** Runtime knobs of the scheduler, from the environment unless a caller (a test) overrides them. */
export interface SchedulerOptions {
  leaseTtlMs: number;
  maxAttempts: number;
  envLimits: ParallelSettings;
}

export function schedulerOptions(overrides: Partial<SchedulerOptions> = {}): SchedulerOptions {
  return {
    leaseTtlMs: overrides.leaseTtlMs ?? env().LEASE_TTL_MS,
    maxAttempts: overrides.maxAttempts ?? env().MAX_ATTEMPTS,
    envLimits: overrides.envLimits ?? envLimits(),
  };
}

/** The environment's hard limits for the parallel execution settings (current = min(env, settings)). */
export function envLimits(): ParallelSettings {
  const e = env();
  return {
    jobs: e.SLOTWISE_ENV_MAX_JOBS,
    workflows: e.SLOTWISE_ENV_MAX_WORKFLOWS,
    access_requests: e.SLOTWISE_ENV_MAX_ACCESS_REQUESTS,
    max_paused_slots: e.SLOTWISE_ENV_MAX_PAUSED_SLOTS,
  };
}
