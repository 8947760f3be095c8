import { notFound } from "../core/errors";
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

export interface OwnedWorker {
  id: string;
  /** The org its token is scoped to; null = every org. */
  orgId: string | null;
  /** The queues it registered for; empty = every queue. */
  queues: string[];
}

/** The worker with this id, if the token registered it; else 404 (another token's worker is not yours to see). */
export async function ownedWorker(db: Db, tokenId: string, workerId: string): Promise<OwnedWorker> {
  const { rows } = await db.query<{ id: string; org_id: string | null; token_id: string | null; queues: string[] }>(
    "SELECT id, org_id, token_id, queues FROM worker WHERE id = $1",
    [workerId],
  );
  const row = rows[0];
  if (!row || row.token_id !== tokenId) throw notFound("Worker");
  return { id: row.id, orgId: row.org_id, queues: row.queues };
}
