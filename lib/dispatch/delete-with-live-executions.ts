import { recordAudit } from "../audit/record-audit";
import { notFound } from "../core/errors";
import { endExecutionsOf, type LiveScope } from "./kill";
import { envLimits } from "./options";
import { type Db } from "../db/transaction";
import { withDispatchTransaction } from "./sql/transaction";

// Deleting a flow, project or org first ends its live executions (queued ones cancelled,
// running or paused ones killed, each with a reason) under the dispatch lock, so the
// deletion frees every slot; the row and its audit entry go in the same transaction. The
// lock comes first, as in every dispatch transaction, then the row.

export async function deleteWithLiveExecutions(
  db: Db,
  target: { table: "project" | "flow" | "organization"; scope: LiveScope; orgId: string; id: string; actor: string },
): Promise<{ ended: number }> {
  return withDispatchTransaction(db, async (tx) => {
    // FOR UPDATE: a submission into it waits (its reference check) until the delete is done.
    const { rows } = await tx.query(`SELECT row_to_json(t) AS row FROM ${target.table} t WHERE t.id = $1 AND ${target.table === "organization" ? "t.id" : "t.org_id"} = $2 FOR UPDATE`, [target.id, target.orgId]);
    if (!rows[0]) throw notFound(target.table === "organization" ? "Organization" : target.table[0]!.toUpperCase() + target.table.slice(1));
    const ended = await endExecutionsOf(tx, target.scope, target.actor, envLimits().max_paused_slots);
    if (target.table === "flow") {
      // A flow's executions outlive it (flow_id SET NULL) but its dispatch lanes do not, and
      // PostgreSQL re-checks each execution's lane reference while nulling its flow, before the
      // lane's own SET NULL has reached it. They are all finished now and need no lane.
      await tx.query("UPDATE execution SET lane_id = NULL WHERE flow_id = $1 AND lane_id IS NOT NULL", [target.id]);
    }
    // An org's audit history outlives it, in the platform's log (docs/operations.md).
    if (target.table === "organization") await tx.query("UPDATE audit_event SET org_id = NULL WHERE org_id = $1", [target.id]);
    await tx.query(`DELETE FROM ${target.table} WHERE id = $1`, [target.id]);
    await recordAudit(tx, {
      orgId: target.table === "organization" ? null : target.orgId,
      actor: target.actor,
      action: `${target.table}.delete`,
      entityType: target.table,
      entityId: target.id,
      entityName: rows[0].row.name,
      before: { ...rows[0].row, liveExecutionsEnded: ended },
      after: null,
    });
    return { ended };
  });
}
