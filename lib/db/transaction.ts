import type pg from "pg";
import "./pg-types";
import { AppError } from "../core/errors";

/**
 * Transactions for the scheduler. Every state change runs in one transaction, so a failure
 * anywhere (including an injected one in tests) rolls the whole transition back. Deadlocks
 * and serialization failures are retried a bounded number of times with jittered backoff;
 * anything else propagates at once.
 */
export type Db = pg.Pool;
export type Tx = pg.PoolClient;

/**
 * A named (server-side prepared) statement. The hot-path queries join many small tables, so
 * planning them costs more than running them; naming them lets each connection plan once.
 */
export function statement<R extends pg.QueryResultRow = pg.QueryResultRow>(name: string, text: string) {
  return (q: Tx | Db, values: unknown[]) => q.query<R>({ name, text, values });
}

const RETRYABLE = new Set(["40001", "40P01"]);
export const MAX_TX_ATTEMPTS = 4;

export function isRetryable(error: unknown): boolean {
  return typeof error === "object" && error !== null && RETRYABLE.has((error as { code?: string }).code ?? "");
}

export interface TransactionOptions {
  attempts?: number;
  /** The statement(s) that open the transaction; see DISPATCH_BEGIN. */
  begin?: string;
}

/** Passed to a transaction's work. */
export interface TxControl {
  /**
   * Sends COMMIT now, behind the statements already sent, instead of after the work returns:
   * on a pipelining connection (lib/db/client.ts) its round trip and WAL flush then overlap
   * the wait for the last statement's reply. Send nothing after it.
   */
  commitEarly(): void;
}

type Settled<V> = { ok: true; value: V } | { ok: false; error: unknown };
const settle = <V>(promise: Promise<V>): Promise<Settled<V>> =>
  promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

export async function withTransaction<T>(db: Db, work: (tx: Tx, control: TxControl) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? MAX_TX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const client = await db.connect();
    // Not awaited: a pipelining connection sends the work's first statement right behind it.
    // If it fails (the lock wait was cancelled, say) the transaction is aborted, so whatever
    // follows fails too and changes nothing; its error is the one reported.
    const began = settle(client.query(options.begin ?? "BEGIN"));
    const sent: { commit?: Promise<Settled<pg.QueryResult>> } = {};
    const commit = () => (sent.commit ??= settle(client.query("COMMIT")));
    try {
      const result = await work(client, { commitEarly: () => void commit() });
      const begin = await began;
      if (!begin.ok) throw begin.error;
      const done = await commit();
      if (!done.ok) throw done.error;
      // COMMIT in a transaction that an earlier statement aborted answers ROLLBACK, not an error.
      if (done.value.command !== "COMMIT") throw new Error("the transaction was rolled back");
      return result;
    } catch (error) {
      const begin = await began;
      const cause = begin.ok ? error : begin.error;
      // A commit sent early that went through cannot be undone, and must not be repeated.
      const early = sent.commit && (await sent.commit);
      if (early && early.ok && early.value.command === "COMMIT") throw cause;
      await client.query("ROLLBACK").catch(() => undefined);
      if (attempt >= attempts || !isRetryable(cause)) throw cause;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    } finally {
      client.release();
    }
  }
}

/**
 * Every transition that can raise a slot count (claims, resumes, pauses, kills, lease
 * expiry) runs under this transaction-scoped advisory lock, across all app instances.
 * Dispatch decisions need a consistent view of every cap at once; serialising them is what
 * makes "no interleaving exceeds a cap" hold, and batching (many claims per transaction)
 * is what keeps it fast. Completions and submissions do not take it: they can only lower
 * in-flight counts or add queued work, which never makes a decision unsafe.
 *
 * One lock that every instance waits for must never be held by a process that stopped
 * (SIGSTOP, a long GC pause, a partition that keeps the TCP connection open): the
 * transaction bounds itself (docs/dispatch.md, "A frozen holder"). It may sit idle for at
 * most DISPATCH_IDLE_MS (PostgreSQL then ends the holder's session, which releases the
 * lock), each statement may run DISPATCH_STATEMENT_MS, and any lock it waits for — this one
 * or a row lock — is given up after DISPATCH_LOCK_WAIT_MS, which the API answers with 503
 * and Retry-After rather than a request that hangs.
 */
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
export const DISPATCH_CHANNEL = "slotwise_dispatch";

export async function notifyDispatch(tx: Tx): Promise<void> {
  await tx.query("SELECT pg_notify($1, '')", [DISPATCH_CHANNEL]);
}
