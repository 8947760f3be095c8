import { subscribeChanges } from "../db/notifications";
import { throttle } from "./throttle";

export type Scope = readonly string[] | "all";

/** Whether a change to `orgId` (null: a platform-wide change) is something a viewer of `scope` sees. */
export function concerns(scope: Scope, orgId: string | null): boolean {
  return scope === "all" || orgId === null || scope.includes(orgId);
}

export interface ChangeWatch {
  close(): void;
}

/**
 * Calls `onChange` when a change in `scope` commits, in any app instance: at once, then at
 * most once per `everyMs` while changes keep coming (a burst of dispatches is one refetch
 * for a dashboard). `onLost` is called if the database connection that hears them drops;
 * nothing is reported after it.
 */
export async function watchChanges(
  scope: Scope,
  handlers: { onChange(): void; onLost(): void; everyMs?: number },
): Promise<ChangeWatch> {
  const changed = throttle(handlers.onChange, handlers.everyMs ?? 500);
  const unsubscribe = await subscribeChanges({
    change: (orgId) => {
      if (concerns(scope, orgId)) changed.call();
    },
    lost: () => {
      changed.cancel();
      handlers.onLost();
    },
  });
  return {
    close() {
      changed.cancel();
      unsubscribe();
    },
  };
}
