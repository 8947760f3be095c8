import pino from "pino";
import { env } from "./env";

/** The one logger (pino, JSON lines). */
const holder = globalThis as typeof globalThis & { __slotwiseLog?: pino.Logger };

export function log(): pino.Logger {
  holder.__slotwiseLog ??= pino({ level: env().NODE_ENV === "test" ? "silent" : env().LOG_LEVEL, base: { app: "slotwise" } });
  return holder.__slotwiseLog;
}
