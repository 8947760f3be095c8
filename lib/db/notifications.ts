import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl } from "../core/env";
import { CONNECT_TIMEOUT_MS } from "./unavailable";

/** Wakes claimers waiting in other processes (long-poll): work or a slot appeared (lib/dispatch/sql/transaction.ts notifyDispatch). */
export const DISPATCH_CHANNEL = "slotwise_dispatch";

/**
 * Notified by a trigger on the execution history, the audit log and execution deletes, once
 * per org and transaction, when it commits (prisma/migrations/20261201100000_live_change_notify);
 * the payload is the org's id, empty for platform-wide changes.
 */
export const CHANGE_CHANNEL = "slotwise_change";

/** A silent network drop fires no event on the socket: the connection is asked to answer this often. */
const CHECK_EVERY_MS = 30_000;
const CHECK_TIMEOUT_MS = 10_000;

/**
 * One LISTEN connection per process, for both channels: waiting claimers (long-poll) wake as
 * soon as any app instance commits a submission or frees a slot, and live-update streams
 * hear of every committed change, instead of each polling. Events: "dispatch", "change"
 * (org id or null) and "lost" (the connection dropped: whatever was notified meanwhile is
 * gone). The next subscriber opens a new one.
 */
interface Listener {
  events: EventEmitter;
  lost: boolean;
  /** Ends the connection; resolves once it has closed. */
  close(): Promise<void>;
}

// Versioned: a dev server's hot reload keeps globalThis, and an older listener's events differ.
const holder = globalThis as typeof globalThis & { __slotwiseListenerV2?: Promise<Listener> };

function sharedListener(): Promise<Listener> {
  if (holder.__slotwiseListenerV2) return holder.__slotwiseListenerV2;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const client = new pg.Client({ connectionString: databaseUrl(), keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  let check: ReturnType<typeof setInterval> | undefined;
  const listener: Listener = {
    events,
    lost: false,
    async close() {
      if (listener.lost) return;
      listener.lost = true;
      clearInterval(check);
      if (holder.__slotwiseListenerV2 === opened) holder.__slotwiseListenerV2 = undefined; // not a newer one
      const ended = client.end().catch(() => undefined);
      events.emit("lost");
      await ended;
    },
  };
  const opened = (async () => {
    await client.connect();
    await client.query(`LISTEN ${DISPATCH_CHANNEL}; LISTEN ${CHANGE_CHANNEL}`);
    check = setInterval(() => {
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), CHECK_TIMEOUT_MS).unref());
      Promise.race([client.query("SELECT 1"), timeout]).catch(() => void listener.close());
    }, CHECK_EVERY_MS);
    check.unref();
    return listener;
  })();
  client.on("error", () => void listener.close());
  client.on("end", () => void listener.close());
  client.on("notification", (message) => {
    if (message.channel === DISPATCH_CHANNEL) events.emit("dispatch");
    else if (message.channel === CHANGE_CHANNEL) events.emit("change", message.payload || null);
  });
  opened.catch(() => void listener.close());
  holder.__slotwiseListenerV2 = opened;
  return opened;
}

/** Closes this process's listening connection, if open (shutdown); subscribers hear "lost". */
export async function closeListener(): Promise<void> {
  const current = holder.__slotwiseListenerV2;
  if (current) await (await current.catch(() => undefined))?.close();
}

export interface DispatchWaiter {
  /** Resolves true when work or a slot appeared since the waiter was created, false after `timeoutMs`. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * Subscribe before looking for work, then wait: a notification that arrives between the
 * look and the wait is remembered instead of lost. A lost connection wakes the waiter too (it
 * looks again rather than sleep through work it was not told of), and its next wait listens
 * on a new connection.
 */
export async function dispatchWaiter(): Promise<DispatchWaiter> {
  let listener = await sharedListener();
  let woken = listener.lost;
  let notify: (() => void) | undefined;
  const onWake = () => {
    woken = true;
    notify?.();
  };
  const attach = () => {
    listener.events.on("dispatch", onWake);
    listener.events.on("lost", onWake);
  };
  const detach = () => {
    listener.events.off("dispatch", onWake);
    listener.events.off("lost", onWake);
  };
  attach();
  return {
    async wait(timeoutMs, signal) {
      if (listener.lost) {
        detach();
        listener = await sharedListener();
        attach();
      }
      if (woken) {
        woken = false;
        return true;
      }
      return new Promise((resolve) => {
        const done = (result: boolean) => {
          clearTimeout(timer);
          notify = undefined;
          signal?.removeEventListener("abort", onAbort);
          woken = false;
          resolve(result);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(false), timeoutMs);
        notify = () => done(true);
        signal?.addEventListener("abort", onAbort);
      });
    },
    close: detach,
  };
}

export interface ChangeHandlers {
  /** A change to this org (null: platform-wide) has committed. */
  change(orgId: string | null): void;
  /** The connection dropped; changes may have been missed. Called once, after which nothing more arrives. */
  lost(): void;
}

/** Hears every committed change until the returned function is called. */
export async function subscribeChanges(handlers: ChangeHandlers): Promise<() => void> {
  const { events, lost } = await sharedListener();
  const unsubscribe = () => {
    events.off("change", handlers.change);
    events.off("lost", onLost);
  };
  const onLost = () => {
    unsubscribe();
    handlers.lost();
  };
  events.on("change", handlers.change);
  events.on("lost", onLost);
  if (lost) queueMicrotask(onLost); // it dropped before this subscriber was attached
  return unsubscribe;
}
