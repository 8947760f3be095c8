import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import "./pg-types";
import { databaseUrl, env } from "../core/env";
import { log } from "../core/log";
import { endPool, trackConnections } from "./end-pool";
import { closeListener } from "./notifications";
import { CONNECT_TIMEOUT_MS, IDLE_IN_TRANSACTION_MS, ignoreConnectionError } from "./unavailable";
import { PrismaClient } from "../generated/prisma/client";

// The only way into the generated Prisma client (docs/architecture.md, "Boundaries").
export { Prisma, PrismaClient } from "../generated/prisma/client";

/**
 * One pg pool per process, shared by Prisma (through the adapter) and by the hand-written
 * SQL on the dispatch hot path. Kept on globalThis so Next.js dev reloads reuse it.
 */
interface Db {
  pool: pg.Pool;
  prisma: PrismaClient;
}

const holder = globalThis as typeof globalThis & { __slotwiseDb?: Db };

function create(): Db {
  // Pipelining (node-postgres 8.23) sends a statement without waiting for the one before:
  // a dispatch transaction's BEGIN, its last statement and its COMMIT then cost one round trip
  // each less (lib/db/transaction.ts). Code that awaits each query behaves exactly as before.
  // connectionTimeoutMillis: a server that accepts and never answers (or a pool that stays
  // full) fails the request, which the API answers with a 503, instead of holding it for ever.
  // idle_in_transaction_session_timeout: a process that stops in the middle of a transaction
  // (SIGSTOP, a GC pause, a partition that keeps the socket open) loses it and its row locks
  // instead of holding them until it resumes; dispatch transactions bound themselves tighter
  // (lib/db/transaction.ts). Nothing here idles inside a transaction for anywhere near that.
  const pool = trackConnections(new pg.Pool({
    connectionString: databaseUrl(),
    max: env().DATABASE_POOL_SIZE,
    pipeline: true,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
  }));
  // The server can end an idle connection (restart, failover, pg_terminate_backend); the pool
  // drops it and opens another when needed. Unheard, this "error" event would crash the process.
  // (Only code and message: node-postgres attaches the whole client to the error.)
  pool.on("error", (err: Error & { code?: string }) => log().warn({ code: err.code, reason: err.message }, "the database ended an idle connection"));
  // A connection that breaks while checked out (a restart under a running query) emits "error"
  // on its client, where the pool listens only while it is idle; unheard, that crashes the
  // process. The query in flight fails with the same error, and the pool drops the client.
  pool.on("connect", (client) => client.on("error", ignoreConnectionError));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

function db(): Db {
  holder.__slotwiseDb ??= create();
  return holder.__slotwiseDb;
}

export function prisma(): PrismaClient {
  return db().prisma;
}

export function pool(): pg.Pool {
  return db().pool;
}

/** Ends every connection this process holds: the pool's and the LISTEN one (lib/db/notifications.ts). */
export async function closeDb(): Promise<void> {
  const current = holder.__slotwiseDb;
  holder.__slotwiseDb = undefined;
  await closeListener();
  if (current) {
    await current.prisma.$disconnect();
    await endPool(current.pool);
  }
}
