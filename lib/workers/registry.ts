import type { Db, Tx } from "../db/transaction";

/** Workers announce themselves once and are kept "live" by their claims and heartbeats. */
export interface WorkerRegistration {
  name: string;
  orgId: string | null;
  queues: readonly string[];
  tokenId?: string | null;
}

export async function registerWorker(db: Db | Tx, registration: WorkerRegistration): Promise<{ id: string }> {
  const { rows } = await db.query<{ id: string }>(
    "INSERT INTO worker (name, org_id, queues, token_id) VALUES ($1, $2, $3, $4) RETURNING id",
    [registration.name, registration.orgId, registration.queues, registration.tokenId ?? null],
  );
  return { id: rows[0]!.id };
}

const TOUCH_EVERY_MS = 5_000;
const lastTouched = new Map<string, number>();

/** Liveness mark: at most one write every few seconds per worker and process. */
export async function touchWorker(db: Db | Tx, workerId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastTouched.get(workerId) ?? 0) < TOUCH_EVERY_MS) return;
  lastTouched.set(workerId, now);
  await db.query("UPDATE worker SET last_seen_at = now() WHERE id = $1", [workerId]);
}

/** A worker counts as live while it was seen within this window. */
export const WORKER_LIVENESS_SECONDS = 60;
