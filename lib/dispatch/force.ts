import { conflict, notFound } from "../core/errors";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/transaction";
import { adjustLanes, recordTransitions } from "./sql/transitions";
import { notifyDispatch, withDispatchTransaction } from "./sql/transaction";

// Break-glass "run now" (docs/lifecycle.md, "Run now"): an org or platform admin starts a
// QUEUED execution at the next claim of a worker serving its queue, ignoring every cap, with a
// reason that goes into its history and the audit log. It counts as in flight once it runs, so
// the scopes it is in are over their caps and others wait; at most max_forced_per_org forced
// executions are live per org. Claims learn of it through the configuration version (a rare
// act: every claimer rebuilds its caches once), so the claim path reads nothing more per claim.

export interface ForceInput {
  executionId: string;
  orgId: string;
  actor: string;
  reason: string;
}

export interface ForceResult {
  id: string;
  state: "QUEUED";
  forced: { at: Date; by: string; reason: string };
}

export async function forceExecution(db: Db, input: ForceInput): Promise<ForceResult> {
  return withDispatchTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ state: string; holds_slot: boolean; waiting_lane_id: number | null; forced_at: Date | null }>(
      "SELECT state, holds_slot, waiting_lane_id, forced_at FROM execution WHERE id = $1 AND org_id = $2 FOR UPDATE",
      [input.executionId, input.orgId],
    );
    const row = rows[0];
    if (!row) throw notFound("Execution");
    if (row.state !== "QUEUED") throw conflict("not_queued", `Only a QUEUED execution can be run now; this one is ${row.state}.`);
    if (row.holds_slot) throw conflict("holds_slot", "This execution was resumed in the slot it kept: it starts at the next claim of a worker serving its queue already.");
    if (row.forced_at) throw conflict("already_forced", "This execution is already forced: it starts at the next claim of a worker serving its queue.");
    // The bound: forced executions live in the org, counted under a lock on the org so two
    // admins forcing at once count in turn.
    await tx.query("SELECT 1 FROM organization WHERE id = $1 FOR UPDATE", [input.orgId]);
    const { rows: [bound] } = await tx.query<{ live: number; max: number }>(
      `SELECT (SELECT count(*)::int FROM execution WHERE org_id = $1 AND forced_at IS NOT NULL AND state IN ('QUEUED', 'RUNNING', 'PAUSED')) AS live,
              (SELECT max_forced_per_org FROM platform_settings WHERE id = 1) AS max`,
      [input.orgId],
    );
    if (bound!.live >= bound!.max) {
      throw conflict("forced_limit", `At most ${bound!.max} forced executions may be live per organization (maxForcedPerOrg); ${bound!.live} are. Wait for one to finish, or ask a platform admin to raise the bound.`);
    }
    // Scheduled work joins its lane now: run now means now.
    if (row.waiting_lane_id !== null) await adjustLanes(tx, [row.waiting_lane_id], 1);
    const { rows: [forced] } = await tx.query<{ forced_at: Date }>(
      `UPDATE execution SET forced_at = now(), forced_by = $2, forced_reason = $3, updated_at = now(),
              lane_id = coalesce(lane_id, waiting_lane_id), waiting_lane_id = NULL
        WHERE id = $1 RETURNING forced_at`,
      [input.executionId, input.actor, input.reason],
    );
    // Every claimer rebuilds its caches and so reads the forced executions waiting (claim.ts).
    await tx.query("UPDATE dispatch_config_version SET version = version + 1 WHERE id = 1");
    await recordTransitions(tx, [{
      executionId: input.executionId, orgId: input.orgId, from: "QUEUED", to: "QUEUED", holdsSlot: false, actor: input.actor,
      reason: `forced to run now, ignoring caps, by ${input.actor}: ${input.reason}`,
    }]);
    await recordAudit(tx, {
      orgId: input.orgId, actor: input.actor, action: "execution.force", entityType: "execution", entityId: input.executionId, entityName: null,
      before: null, after: { reason: input.reason },
    });
    await notifyDispatch(tx);
    return { id: input.executionId, state: "QUEUED", forced: { at: forced!.forced_at, by: input.actor, reason: input.reason } };
  });
}
