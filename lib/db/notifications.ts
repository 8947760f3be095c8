import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl } from "../env";
import { DISPATCH_CHANNEL } from "../scheduler/sql/tx";

/**
 * One LISTEN connection per process. Waiting claimers (long-poll) wake as soon as any app
 * instance commits a submission or frees a slot (pg_notify in the same transaction), instead
 * of polling. If the connection drops it is re-opened on the next wait.
 */
const holder = globalThis as typeof globalThis & { __slotwiseListener?: Promise<EventEmitter> };

async function listener(): Promise<EventEmitter> {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const client = new pg.Client({ connectionString: databaseUrl() });
  const reset = () => {
    holder.__slotwiseListener = undefined;
    events.emit("wake");
  };
  client.on("error", reset);
  client.on("end", reset);
  client.on("notification", () => events.emit("wake"));
  await client.connect();
  await client.query(`LISTEN ${DISPATCH_CHANNEL}`);
  return events;
}

export interface DispatchWaiter {
  /** Resolves true when work or a slot appeared since the waiter was created, false after `timeoutMs`. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * Subscribe before looking for work, then wait: a notification that arrives between the
 * look and the wait is remembered instead of lost.
 */
export async function dispatchWaiter(): Promise<DispatchWaiter> {
  holder.__slotwiseListener ??= listener().catch((error) => {
    holder.__slotwiseListener = undefined;
    throw error;
  });
  const events = await holder.__slotwiseListener;
  let woken = false;
  let notify: (() => void) | undefined;
  const onWake = () => {
    woken = true;
    notify?.();
  };
  events.on("wake", onWake);
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
    close: () => void events.off("wake", onWake),
  };
}
