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

export const parallelSettingDetails = z.strictObject({ jobs: settingDetail, workflows: settingDetail, access_requests: settingDetail, max_paused_slots: settingDetail });

export type OrgConcurrencyRow = z.infer<typeof orgConcurrencyRow>;
export type OrgConcurrency = z.infer<typeof orgConcurrency>;
export type ParallelSettings = z.infer<typeof parallelSettings>;
export type ParallelSettingDetails = z.infer<typeof parallelSettingDetails>;
