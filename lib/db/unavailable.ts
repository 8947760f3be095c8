/** How long a connection attempt (or a wait for a free pooled one) may take before it fails, and so counts as unavailable. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** PostgreSQL ends a session left idle inside a transaction this long (every app connection). */
export const IDLE_IN_TRANSACTION_MS = 5_000;

/**
 * For the "error" event of a connection that is in use: the query waiting on it already fails
 * with this error (and reaches the caller), so the event itself carries nothing to act on.
 */
export function ignoreConnectionError(): void {}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
// SQLSTATE: class 08 (connection exception), 53300 too_many_connections, 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now, 25006 read_only_sql_transaction (a write that
// reached a former primary during a failover).
const SQLSTATES = new Set(["53300", "57P01", "57P02", "57P03", "25006"]);
// Prisma: P1001 can't reach, P1002/P1008 timed out, P1017 connection closed.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
// Prisma's P2028 is also a transaction that outlived its timeout (a 500); this one is a
// transaction that could not get a connection at all.
const NO_TRANSACTION = /Unable to start a transaction in the given time/;
// Prisma's driver adapter's error kinds (DriverAdapterError.cause.kind).
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// node-postgres's own messages for a connection that failed, ended or never came from the pool.
const PG_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/];

/**
 * Whether an error means the database cannot be reached right now (down, restarting, out of
 * connections, the network between), as opposed to a bug or a bad request: the API then
 * answers 503 with Retry-After rather than 500, so clients and load balancers wait and retry.
 * Errors reach us wrapped (Prisma's error carries its driver adapter's, which carries what
 * node-postgres said), so the whole chain is looked at.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 8; e = next(e), depth++) {
    const { code, kind, message } = e as { code?: unknown; kind?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || PRISMA_CODES.has(code) || code.startsWith("08"))) return true;
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    if (code === "P2028" && typeof message === "string" && NO_TRANSACTION.test(message)) return true;
    if (typeof message === "string" && PG_MESSAGES.some((pattern) => pattern.test(message))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true; // a refused connect tries IPv4 and IPv6
  }
  return false;
}

function next(error: object): unknown {
  const { cause, meta } = error as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
  return cause ?? meta?.driverAdapterError;
}
