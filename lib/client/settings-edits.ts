import type { Flow } from "../contract/flows";
import type { Project } from "../contract/projects";
import { SETTING_NAMES, settingDetails, type ParallelSettings, type SettingDetails, type SettingName } from "../dispatch/policy/parallel-settings";

// What the settings screens show the moment an admin saves, before the server answers
// (optimistic updates): the same rules the server applies, so the screen does not jump when
// the real values arrive.

/** What an edit needs of a project (the API's project, or a test's). */
export type ProjectRow = Pick<Project, "id" | "maxConcurrentJobs" | "poolId" | "effectiveMaxConcurrentJobs" | "platformDefaultConcurrentJobs">;

export interface ProjectEdit {
  projectId: string;
  maxConcurrentJobs: number | null;
  poolId: string | null;
}

export function applyProjectEdit<P extends ProjectRow>(project: P, edit: ProjectEdit): P {
  if (project.id !== edit.projectId) return project;
  return {
    ...project,
    maxConcurrentJobs: edit.maxConcurrentJobs,
    poolId: edit.poolId,
    effectiveMaxConcurrentJobs: edit.maxConcurrentJobs ?? project.platformDefaultConcurrentJobs,
  };
}

export type ParallelDetails = Record<SettingName, SettingDetails>;

/** New settings values; each current_value becomes min(env_value, settings_value) again. */
export function applyParallelEdit<T extends ParallelDetails>(details: T, edit: Partial<ParallelSettings>): T {
  const envLimits = Object.fromEntries(SETTING_NAMES.map((name) => [name, details[name].env_value])) as unknown as ParallelSettings;
  const configured = Object.fromEntries(SETTING_NAMES.map((name) => [name, edit[name] ?? details[name].settings_value])) as unknown as ParallelSettings;
  return { ...details, ...settingDetails(envLimits, configured) };
}

/** The warning a setting gets when the environment's ceiling, not the configured value, is in effect. */
export function environmentWarning(d: SettingDetails): string | null {
  return d.env_value < d.settings_value ? `Limited by the environment: ${d.env_value} is in effect, not the configured ${d.settings_value}.` : null;
}

/** A flow edit (PATCH /api/orgs/{orgId}/flows/{flowId}): concurrency always, the limits only when they changed. */
export interface FlowEdit {
  concurrency: Pick<Flow["concurrency"], "limit"> & { behavior: Flow["concurrency"]["behavior"] };
  rateLimit?: Flow["rateLimit"];
  maxQueued?: Flow["maxQueued"];
  debounce?: Flow["debounce"];
  retry?: Flow["retry"];
}

/** What a flow edit changes: a new rate limit keeps the window counted so far (an empty one without), a removed one has none. */
export function applyFlowEdit<F extends Pick<Flow, "concurrency" | "rateLimit" | "rateWindow" | "maxQueued" | "debounce" | "retry">>(flow: F, edit: FlowEdit | undefined): F {
  if (!edit) return flow;
  const next = { ...flow, concurrency: edit.concurrency };
  if (edit.rateLimit !== undefined) {
    next.rateLimit = edit.rateLimit;
    next.rateWindow = edit.rateLimit === null ? null : (flow.rateWindow ?? { starts: 0, nextStartAt: null });
  }
  if (edit.maxQueued !== undefined) next.maxQueued = edit.maxQueued;
  if (edit.debounce !== undefined) next.debounce = edit.debounce;
  if (edit.retry !== undefined) next.retry = edit.retry;
  return next;
}
