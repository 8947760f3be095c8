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

/** The orgs a batch of committed changes touched; `platform`: a platform-wide setting changed too. */
export interface Changed {
  orgIds: string[];
  platform: boolean;
}

/**
 * Calls `onChange` when changes in `scope` commit, in any app instance: at once, then at most
 * once per `everyMs` while changes keep coming (a burst of dispatches is one refetch for a
 * dashboard), with every org the batch touched, so a viewer refetches only those. `onLost` is
 * called if the database connection that hears them drops; nothing is reported after it.
 */
export async function watchChanges(
  scope: Scope,
  handlers: { onChange(changed: Changed): void; onLost(): void; everyMs?: number },
): Promise<ChangeWatch> {
  const orgIds = new Set<string>();
  let platform = false;
  const changed = throttle(() => {
    const batch = { orgIds: [...orgIds], platform };
    orgIds.clear();
    platform = false;
    handlers.onChange(batch);
  }, handlers.everyMs ?? 500);
  const unsubscribe = await subscribeChanges({
    change: (orgId) => {
      if (!concerns(scope, orgId)) return;
      if (orgId === null) platform = true;
      else orgIds.add(orgId);
      changed.call();
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
