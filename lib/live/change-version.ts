import type { Db } from "../scheduler/sql/tx";

/**
 * A cheap fingerprint of "everything a dashboard shows" for a scope: the newest execution
 * transition and the newest configuration change. Any state change or edit, made by any app
 * instance, moves it; the live-updates stream compares it twice a second.
 */
export async function changeVersion(db: Db, scope: readonly string[] | "all"): Promise<string> {
  const orgs = scope === "all" ? null : scope;
  const { rows } = await db.query<{ t: number | null; a: number | null }>(
    `SELECT (SELECT max(id) FROM execution_transition WHERE $1::uuid[] IS NULL OR org_id = ANY($1)) AS t,
            (SELECT max(id) FROM audit_event WHERE $1::uuid[] IS NULL OR org_id = ANY($1) OR org_id IS NULL) AS a`,
    [orgs],
  );
  return `${rows[0]?.t ?? 0}:${rows[0]?.a ?? 0}`;
}
