import { notFound } from "../core/errors";
import type { Db, Tx } from "../db/transaction";

/** Workers announce themselves once and are kept "live" by their claims and heartbeats. */
export interface WorkerRegistration {
  name: string;
  orgId: string | null;
  queues: readonly string[];
  tokenId?: string | null;
  /** Executions it runs at once (explain and the workers screen compare what it holds with it). */
  concurrency?: number | null;
}

export async function registerWorker(db: Db | Tx, registration: WorkerRegistration): Promise<{ id: string }> {
  const { rows } = await db.query<{ id: string }>(
    "INSERT INTO worker (name, org_id, queues, token_id, concurrency) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [registration.name, registration.orgId, registration.queues, registration.tokenId ?? null, registration.concurrency ?? null],
  );
  return { id: rows[0]!.id };
}

export const TOUCH_EVERY_MS = 5_000;
const lastTouched = new Map<string, number>();
const lastClaimed = new Map<string, number>();

/**
 * Liveness mark: at most one write every few seconds per worker and process. A claim (the
 * worker asking for work) also marks when it last asked, on its own clock, so a heartbeat
 * just before does not hide it.
 */
export async function touchWorker(db: Db | Tx, workerId: string, options: { claiming?: boolean } = {}): Promise<void> {
  const now = Date.now();
  const claiming = options.claiming === true && now - (lastClaimed.get(workerId) ?? 0) >= TOUCH_EVERY_MS;
  if (!claiming && now - (lastTouched.get(workerId) ?? 0) < TOUCH_EVERY_MS) return;
  lastTouched.set(workerId, now);
  if (claiming) {
    lastClaimed.set(workerId, now);
    await db.query("UPDATE worker SET last_seen_at = now(), last_claim_at = now() WHERE id = $1", [workerId]);
  } else {
    await db.query("UPDATE worker SET last_seen_at = now() WHERE id = $1", [workerId]);
  }
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
