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

/** Resolves true when work or a slot appeared, false after `timeoutMs`. */
export async function waitForDispatch(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  holder.__slotwiseListener ??= listener().catch((error) => {
    holder.__slotwiseListener = undefined;
    throw error;
  });
  const events = await holder.__slotwiseListener;
  return new Promise((resolve) => {
    const done = (woke: boolean) => {
      clearTimeout(timer);
      events.off("wake", onWake);
      signal?.removeEventListener("abort", onAbort);
      resolve(woke);
    };
    const onWake = () => done(true);
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    events.on("wake", onWake);
    signal?.addEventListener("abort", onAbort);
  });
}
