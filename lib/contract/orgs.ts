import { z } from "zod";
import { id, count } from "./fields";

// An org's concurrency (the fair scheduler's view of it) and its parallel execution settings.

export const orgConcurrencyRow = z.strictObject({
  organizationId: id,
  name: z.string(),
  currentInFlight: count,
  queued: count,
  maxConcurrency: count.describe("0 = no cap"),
  weight: z.number().int().min(1),
  ratio: z.number().min(0).describe("load ratio: currentInFlight / weight"),
  rank: z.number().int().min(1).nullable().describe("1 = gets the next free slot; null when nothing of the org could start"),
  hasData: z.boolean().describe("false until the org's first dispatch"),
});

export const orgConcurrency = orgConcurrencyRow.omit({ name: true, rank: true });

export const parallelSettings = z.strictObject({ jobs: count, workflows: count, access_requests: count, max_paused_slots: count });

const settingDetail = z.strictObject({
  current_value: count.describe("min(env_value, settings_value): what dispatch applies"),
  env_value: count,
  settings_value: count,
});

const capName = z.enum(["org", "jobs", "access_requests"]);
/** What max_paused_slots does now, or with `?max_paused_slots=N` what setting it to N would do at once (docs/lifecycle.md). */
const pausedImpact = z.strictObject({
  value: count.describe("the effective max_paused_slots described"),
  paused: count,
  holdAgain: count.describe("paused executions that take their slot back under it"),
  release: count.describe("paused executions that give their slot back under it"),
  over: z.array(z.strictObject({ cap: capName, limit: count, inFlight: count, by: count })).describe("caps the org is above under it; nothing is killed, nothing new starts there until it is below"),
  message: z.string().nullable().describe("the warning to show, or null"),
});

export const parallelSettingDetails = z.strictObject({
  jobs: settingDetail, workflows: settingDetail, access_requests: settingDetail, max_paused_slots: settingDetail,
  paused: pausedImpact,
});

export type OrgConcurrencyRow = z.infer<typeof orgConcurrencyRow>;
export type OrgConcurrency = z.infer<typeof orgConcurrency>;
export type ParallelSettings = z.infer<typeof parallelSettings>;
export type ParallelSettingDetails = z.infer<typeof parallelSettingDetails>;
