import { z } from "zod";
import { isAppError } from "../core/errors";
import { recordAudit } from "../audit/record-audit";
import { withTransaction, type Db } from "../db/transaction";
import { executionFilter, addFilterConditions, filterStates, sqlConditions, type ExecutionFilter } from "../executions/execution-filter";
import { bulkCaps } from "../contract/executions";
import { liveStates } from "../contract/fields";
import { endLiveExecutions } from "./kill";
import { rerunExecution } from "./rerun";
import { withDispatchTransaction } from "./sql/transaction";
import { schedulerOptions, type SchedulerOptions } from "./options";

// Kill or rerun everything matching a filter (docs/lifecycle.md, "Bulk actions"): the
// executions list's own filter, the oldest first, at most a call's cap at a time. Kills go
// in batches, each one dispatch transaction, so claimers never wait long for the lock; each
// rerun is a submission of its own, through full admission, as a single rerun is.

const KILL_BATCH = 500;

const FINISHED = ["SUCCESS", "FAILED", "CANCELLED", "KILLED"] as const;

const bulkBody = (cap: number) =>
  z.strictObject({
    filter: executionFilter.default({}),
    dryRun: z.boolean().default(false).describe("only count what matches; change nothing"),
    limit: z.number().int().min(1).max(cap).default(cap).describe("act on at most this many (the oldest first)"),
  });
export const bulkKillBody = bulkBody(bulkCaps.kill);
export const bulkRerunBody = bulkBody(bulkCaps.rerun);
export type BulkBody = z.infer<typeof bulkKillBody>;

/** The states an action applies to, narrowed by the filter's own states. */
function actionable(filter: ExecutionFilter, states: readonly string[]): string[] {
  const asked = filterStates(filter);
  return asked ? states.filter((s) => asked.includes(s as never)) : [...states];
}

/** Ids (oldest first, after `afterSeq`) and the count of the org's executions matching. */
async function matching(db: Db, orgId: string, filter: ExecutionFilter, states: string[], page: { afterSeq: number; limit: number } | "count") {
  const { where, params, add } = sqlConditions();
  add("e.org_id = ?", orgId);
  addFilterConditions({ ...filter, state: undefined }, add);
  add("e.state = ANY(?::execution_state[])", states);
  const from = () => `FROM execution e JOIN queue q ON q.id = e.queue_id WHERE ${where.join(" AND ")}`;
  if (page === "count") {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${from()}`, params);
    return { ids: [], lastSeq: 0, count: rows[0]!.n };
  }
  add("e.seq > ?", page.afterSeq);
  params.push(page.limit);
  const { rows } = await db.query<{ id: string; seq: string }>(`SELECT e.id, e.seq ${from()} ORDER BY e.seq LIMIT $${params.length}`, params);
  return { ids: rows.map((r) => r.id), lastSeq: rows.length ? Number(rows.at(-1)!.seq) : page.afterSeq, count: rows.length };
}

interface BulkInput { orgId: string; actor: string; body: BulkBody }

export interface BulkKillResult { matched: number; killed: number; remaining: number; asOf: string }

/** Kills what matches (and each one's live descendants, as a single kill does). */
export async function killMatching(db: Db, input: BulkInput, overrides: Partial<SchedulerOptions> = {}): Promise<BulkKillResult> {
  const asOf = new Date().toISOString();
  const states = actionable(input.body.filter, liveStates);
  const filter = { ...input.body.filter, to: input.body.filter.to ?? asOf };
  const matched = states.length ? (await matching(db, input.orgId, filter, states, "count")).count : 0;
  if (input.body.dryRun || matched === 0) return { matched, killed: 0, remaining: matched, asOf };

  const { envLimits } = schedulerOptions(overrides);
  const reason = `killed by ${input.actor} (bulk)`;
  let killed = 0;
  let acted = 0;
  let afterSeq = 0;
  while (acted < input.body.limit) {
    const batch = await matching(db, input.orgId, filter, states, { afterSeq, limit: Math.min(KILL_BATCH, input.body.limit - acted) });
    if (batch.ids.length === 0) break;
    afterSeq = batch.lastSeq;
    acted += batch.ids.length;
    killed += await withDispatchTransaction(db, async (tx) => {
      const ended = await endLiveExecutions(
        tx, "x.id = ANY($1::uuid[]) OR x.parent_id = ANY($1::uuid[]) OR x.root_id = ANY($1::uuid[])", batch.ids,
        { state: "KILLED", reason, actor: input.actor }, envLimits.max_paused_slots,
      );
      return ended.length;
    });
  }
  const remaining = (await matching(db, input.orgId, filter, states, "count")).count;
  await audit(db, input, "executions.kill_matching", { killed, remaining });
  return { matched, killed, remaining, asOf };
}

export interface BulkRerunResult {
  matched: number;
  rerun: number;
  /** Reruns that created nothing: folded into a waiting one (debounce), or refused. */
  notRerun: { code: string; count: number }[];
  /** Why it stopped before the end: a backlog cap refuses every further submission too. */
  stoppedBy: "backlog_full" | null;
  remaining: number;
  asOf: string;
}

/** Reruns what matches, oldest first, each through full admission. */
export async function rerunMatching(db: Db, input: BulkInput): Promise<BulkRerunResult> {
  const asOf = new Date().toISOString();
  const states = actionable(input.body.filter, FINISHED);
  const filter = { ...input.body.filter, to: input.body.filter.to ?? asOf };
  const matched = states.length ? (await matching(db, input.orgId, filter, states, "count")).count : 0;
  const result: BulkRerunResult = { matched, rerun: 0, notRerun: [], stoppedBy: null, remaining: matched, asOf };
  if (input.body.dryRun || matched === 0) return result;

  const { ids } = await matching(db, input.orgId, filter, states, { afterSeq: 0, limit: input.body.limit });
  const refused = new Map<string, number>();
  let done = 0;
  for (const id of ids) {
    try {
      const made = await rerunExecution(db, { executionId: id, orgId: input.orgId, actor: input.actor });
      if (made.deduplicatedBy) refused.set(made.deduplicatedBy, (refused.get(made.deduplicatedBy) ?? 0) + 1);
      else result.rerun++;
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      if (error.code === "backlog_full") {
        result.stoppedBy = "backlog_full";
        break;
      }
      refused.set(error.code, (refused.get(error.code) ?? 0) + 1);
    }
    done++;
  }
  result.notRerun = [...refused].map(([code, count]) => ({ code, count }));
  result.remaining = matched - done;
  await audit(db, input, "executions.rerun_matching", { rerun: result.rerun, notRerun: result.notRerun, remaining: result.remaining });
  return result;
}

/** One audit entry per bulk action: the filter it was given and what it did. */
function audit(db: Db, input: BulkInput, action: "executions.kill_matching" | "executions.rerun_matching", outcome: Record<string, unknown>) {
  return withTransaction(db, async (tx) => {
    const org = await tx.query<{ name: string }>("SELECT name FROM organization WHERE id = $1", [input.orgId]);
    await recordAudit(tx, { orgId: input.orgId, actor: input.actor, action, entityType: "organization", entityId: input.orgId, entityName: org.rows[0]?.name ?? null, before: null, after: { filter: input.body.filter, ...outcome } });
  });
}
