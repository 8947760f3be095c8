import { env } from "../core/env";
import { envLimits } from "./sql/snapshot";
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
