import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/transaction";

// Idempotency keys (docs/limits.md): within an org and the retention window, a second
// submission with the same key creates nothing and gets the first execution. The key is
// claimed before the execution exists (its foreign key is deferred to commit), so of two
// concurrent submissions with one key the second waits on the first's row: when the first
// commits, it finds the key taken; when the first rolls back, it takes the key itself.

export type IdempotencyClaim = { taken: false; executionId: string } | { taken: true; executionId: string };

/** Claims `key` for a new execution (its id returned), or names the execution that holds it. */
export async function claimIdempotencyKey(tx: Tx, orgId: string, key: string, retentionMs: number): Promise<IdempotencyClaim> {
  for (;;) {
    const executionId = randomUUID();
    // A key past its retention is taken over as if it were new.
    const claimed = await tx.query(
      `INSERT INTO idempotency_key (org_id, key, execution_id, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (org_id, key) DO UPDATE SET execution_id = EXCLUDED.execution_id, expires_at = EXCLUDED.expires_at
        WHERE idempotency_key.expires_at <= now()
       RETURNING 1`,
      [orgId, key, executionId, retentionMs],
    );
    if (claimed.rowCount === 1) return { taken: false, executionId };
    const held = await tx.query<{ execution_id: string }>("SELECT execution_id FROM idempotency_key WHERE org_id = $1 AND key = $2", [orgId, key]);
    // Gone in between (its execution was deleted): claim it again.
    if (held.rows[0]) return { taken: true, executionId: held.rows[0].execution_id };
  }
}
