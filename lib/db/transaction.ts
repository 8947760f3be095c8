import type pg from "pg";
import "./pg-types";

// Transactions on the app's pool (lib/db/client.ts), for the hand-written SQL of the hot paths.

/**
 * Every state change runs in one transaction, so a failure
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
