import { AppError } from "../../core/errors";
import { DISPATCH_CHANNEL } from "../../db/notifications";
import { withTransaction, type Db, type TransactionOptions, type Tx, type TxControl } from "../../db/transaction";

// Every transition that can raise a slot count (claims, resumes, pauses, kills, lease
// expiry) runs under this transaction-scoped advisory lock, across all app instances.
// Dispatch decisions need a consistent view of every cap at once; serialising them is what
// makes "no interleaving exceeds a cap" hold, and batching (many claims per transaction)
// is what keeps it fast. Completions and submissions do not take it: they can only lower
// in-flight counts or add queued work, which never makes a decision unsafe.
//
// One lock that every instance waits for must never be held by a process that stopped
// (SIGSTOP, a long GC pause, a partition that keeps the TCP connection open): the
// transaction bounds itself (docs/dispatch.md, "A frozen holder"). It may sit idle for at
// most DISPATCH_IDLE_MS (PostgreSQL then ends the holder's session, which releases the
// lock), each statement may run DISPATCH_STATEMENT_MS, and any lock it waits for — this one
// or a row lock — is given up after DISPATCH_LOCK_WAIT_MS, which the API answers with 503
// and Retry-After rather than a request that hangs.

const DISPATCH_LOCK = 0x51_07_15e;
export const DISPATCH_IDLE_MS = 2_000;
export const DISPATCH_LOCK_WAIT_MS = 5_000;
export const DISPATCH_STATEMENT_MS = 30_000;
/** Seconds a caller refused with dispatch_busy is asked to wait. */
export const DISPATCH_RETRY_AFTER_S = 1;

/**
 * A transaction that holds the dispatch lock. Only withDispatchTransaction makes one, so a
 * function that takes a DispatchTx cannot be called without the lock.
 */
declare const dispatchLocked: unique symbol;
export type DispatchTx = Tx & { readonly [dispatchLocked]: true };

/**
 * BEGIN, the bounds, the lock and the platform's heartbeat in one round trip (a simple-protocol
 * query may hold several statements). The heartbeat (prisma/migrations/20261202100000_platform_heartbeat)
 * records that the platform is processing; leases are measured in that time (docs/leases.md).
 */
export const DISPATCH_BEGIN = [
  "BEGIN",
  `SET LOCAL lock_timeout = ${DISPATCH_LOCK_WAIT_MS}`,
  `SET LOCAL idle_in_transaction_session_timeout = ${DISPATCH_IDLE_MS}`,
  `SET LOCAL statement_timeout = ${DISPATCH_STATEMENT_MS}`,
  `SELECT pg_advisory_xact_lock(${DISPATCH_LOCK})`,
  "SELECT slotwise_platform_beat()",
].join("; ");

// lock_not_available (lock_timeout) and query_canceled (statement_timeout).
const DISPATCH_BUSY = new Set(["55P03", "57014"]);

export function isDispatchBusy(error: unknown): boolean {
  return error instanceof AppError && error.code === "dispatch_busy";
}

export async function withDispatchTransaction<T>(db: Db, work: (tx: DispatchTx, control: TxControl) => Promise<T>, options: Omit<TransactionOptions, "begin"> = {}): Promise<T> {
  try {
    return await withTransaction(db, (tx, control) => work(tx as DispatchTx, control), { ...options, begin: DISPATCH_BEGIN });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && DISPATCH_BUSY.has(code)) {
      throw new AppError(503, "dispatch_busy", "Dispatch is busy right now (another instance holds it for too long). Try again shortly.", {}, DISPATCH_RETRY_AFTER_S);
    }
    throw error;
  }
}

/**
 * The time leases are measured against (prisma/migrations/20261202100000_platform_heartbeat):
 * now(), except while the platform has not been seen processing for longer than its grace —
 * then the moment that grace ran out, so a stall or an outage burns no lease. A scalar
 * subquery, evaluated once per statement.
 */
export const LEASE_NOW = "(SELECT slotwise_lease_now())";

/** Wakes claimers waiting in other processes (long-poll): work or a slot appeared. */
export async function notifyDispatch(tx: Tx): Promise<void> {
  await tx.query("SELECT pg_notify($1, '')", [DISPATCH_CHANNEL]);
}
