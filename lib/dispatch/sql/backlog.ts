import type { Tx } from "../../db/transaction";
import type { BacklogCap } from "../policy/admission";

// Backlog caps (docs/limits.md): how many executions wait — queued in lanes or scheduled — in
// an org and in a flow. Submissions under a cap take the org's backlog lock first, so two of
// them cannot both see room for one; the lock is held to commit, so the next one counts the
// first. Submissions under no cap never take it.

export async function lockBacklog(tx: Tx, orgId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('slotwise:backlog:' || $1, 0))", [orgId]);
}

/** Waiting executions of the org (flowId null) or of one of its flows. */
export async function countBacklog(tx: Tx, orgId: string, flowId: string | null): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT ((SELECT coalesce(sum(queued), 0) FROM dispatch_lane WHERE org_id = $1 AND queued > 0 AND ($2::uuid IS NULL OR flow_id = $2))
           + (SELECT count(*) FROM execution WHERE waiting_lane_id IS NOT NULL AND org_id = $1 AND ($2::uuid IS NULL OR flow_id = $2)))::int AS n`,
    [orgId, flowId],
  );
  return rows[0]!.n;
}

/** The first of `caps` the backlog has reached, with its count; null when all have room. */
export async function fullBacklog(tx: Tx, orgId: string, flowId: string | null, caps: readonly BacklogCap[]): Promise<(BacklogCap & { queued: number }) | null> {
  if (caps.length === 0) return null;
  await lockBacklog(tx, orgId);
  for (const cap of caps) {
    const queued = await countBacklog(tx, orgId, cap.scope === "flow" ? flowId : null);
    if (queued >= cap.limit) return { ...cap, queued };
  }
  return null;
}
