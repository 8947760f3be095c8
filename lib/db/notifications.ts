import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl } from "../env";
import { DISPATCH_CHANNEL } from "../scheduler/sql/tx";

/**
 * Notified by a trigger on the execution history and the audit log, once per org and
 * transaction, when it commits (prisma/migrations/20261201100000_live_change_notify); the
 * payload is the org's id, empty for platform-wide changes.
 */
export const CHANGE_CHANNEL = "slotwise_change";

/**
 * One LISTEN connection per process, for both channels: waiting claimers (long-poll) wake as
 * soon as any app instance commits a submission or frees a slot, and live-update streams
 * hear of every committed change, instead of each polling. Events: "dispatch", "change"
 * (org id or null) and "lost" (the connection dropped: whatever was notified meanwhile is
 * gone). The next subscriber re-opens it.
 */
const holder = globalThis as typeof globalThis & { __slotwiseListener?: Promise<EventEmitter> };

function sharedListener(): Promise<EventEmitter> {
  if (holder.__slotwiseListener) return holder.__slotwiseListener;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const client = new pg.Client({ connectionString: databaseUrl() });
  const opened = (async () => {
    await client.connect();
    await client.query(`LISTEN ${DISPATCH_CHANNEL}; LISTEN ${CHANGE_CHANNEL}`);
    return events;
  })();
  let lost = false;
  const onLost = () => {
    if (lost) return;
    lost = true;
    if (holder.__slotwiseListener === opened) holder.__slotwiseListener = undefined; // not a newer one
    events.emit("lost");
  };
  client.on("error", onLost);
  client.on("end", onLost);
  client.on("notification", (message) => {
    if (message.channel === DISPATCH_CHANNEL) events.emit("dispatch");
    else if (message.channel === CHANGE_CHANNEL) events.emit("change", message.payload || null);
  });
  opened.catch(() => {
    onLost();
    void client.end().catch(() => undefined);
  });
  holder.__slotwiseListener = opened;
  return opened;
}

export interface DispatchWaiter {
  /** Resolves true when work or a slot appeared since the waiter was created, false after `timeoutMs`. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * Subscribe before looking for work, then wait: a notification that arrives between the
 * look and the wait is remembered instead of lost. A lost connection wakes waiters too
 * (they look again rather than sleep through work they were not told of).
 */
export async function dispatchWaiter(): Promise<DispatchWaiter> {
  const events = await sharedListener();
  let woken = false;
  let notify: (() => void) | undefined;
  const onWake = () => {
    woken = true;
    notify?.();
  };
  events.on("dispatch", onWake);
  events.on("lost", onWake);
  return {
    wait(timeoutMs, signal) {
      if (woken) {
        woken = false;
        return Promise.resolve(true);
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
    close: () => {
      events.off("dispatch", onWake);
      events.off("lost", onWake);
    },
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
  const events = await sharedListener();
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
  return unsubscribe;
}
