import { z } from "zod";
import { id, count, time } from "./fields";

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

// Onboarding (docs/operations.md, "Onboarding a tenant"): the org itself, its people, its tokens.

export const organization = z.strictObject({
  id,
  name: z.string(),
  slug: z.string().describe("lower-case letters, digits and hyphens: the CLI's --org"),
  weight: z.number().int().min(1),
  maxConcurrency: count.describe("0 = no cap"),
  createdAt: time,
});

export const member = z.strictObject({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["ADMIN", "MEMBER"]),
  since: time,
});

export const memberAdded = member.extend({
  newAccount: z.boolean().describe("true: no account had this email, one was created"),
  initialPassword: z.string().optional().describe("only when an account was created without a password: shown this once"),
});

export const apiToken = z.strictObject({
  id,
  name: z.string(),
  kind: z.enum(["platform_admin", "user", "worker"]),
  prefix: z.string().describe("the token's first characters, to tell tokens apart"),
  orgId: id.nullable().describe("a worker token's org; null = every org (or not a worker token)"),
  userEmail: z.string().nullable().describe("a user token's user"),
  createdAt: time,
  lastUsedAt: time.nullable().describe("recorded at most once a minute"),
  revokedAt: time.nullable(),
});

export const apiTokenIssued = apiToken.extend({ token: z.string().describe("the secret: shown this once, never again") });

export type Organization = z.infer<typeof organization>;
export type Member = z.infer<typeof member>;
export type MemberAdded = z.infer<typeof memberAdded>;
export type ApiToken = z.infer<typeof apiToken>;
export type ApiTokenIssued = z.infer<typeof apiTokenIssued>;
