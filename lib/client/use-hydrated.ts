import { useSyncExternalStore } from "react";

const noop = () => () => undefined;

/**
 * False in the server render and until React has hydrated, then true. A button rendered by
 * the server is visible before its handler is attached, and a click in that moment is lost
 * (or submits a form natively): such buttons stay disabled until this says true.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}
