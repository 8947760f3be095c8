import type { Query, QueryClient } from "@tanstack/react-query";

// What a change event means for the queries on screen (docs/architecture.md, "Live data"): the
// queries of the orgs it touched refetch — and a fetch already in flight is never aborted (with
// ~2 changes a second, a query slower than half a second would never finish): it is refetched
// once it ends, once however many changes came meanwhile. Charts do not follow changes; they
// refresh on their own slow interval (meta.live === false).

/** The orgs a batch of committed changes touched (GET /api/events `change`); platform: a platform-wide setting changed too. */
export interface Changed {
  orgIds: readonly string[];
  platform: boolean;
}

export const EVERYTHING: Changed = { orgIds: [], platform: true };

/** Whether a query with this key shows something the change touched (keys: lib/client/query-keys.ts). */
export function concerns(key: readonly unknown[], changed: Changed): boolean {
  if (changed.platform) return true;
  // ["org", orgId, …]: that org's data; anything else is a platform-wide view of every org.
  return key[0] !== "org" || changed.orgIds.includes(key[1] as string);
}

export interface Refresher {
  changed(changed: Changed): void;
  stop(): void;
}

export function createRefresher(queryClient: QueryClient): Refresher {
  /** Queries that changed while they were fetching: refetched when that fetch ends. */
  const afterFetch = new Set<Query>();
  const refetch = (query: Query) => void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true, refetchType: "active" }, { cancelRefetch: false });
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    const { query } = event;
    if (event.type === "removed") afterFetch.delete(query);
    else if (event.type === "updated" && afterFetch.has(query) && query.state.fetchStatus === "idle") {
      afterFetch.delete(query);
      refetch(query);
    }
  });
  return {
    changed(changed) {
      const affected = queryClient.getQueryCache().findAll({ type: "active", predicate: (q) => q.meta?.live !== false && concerns(q.queryKey, changed) });
      for (const query of affected) {
        if (query.state.fetchStatus === "fetching") afterFetch.add(query);
        else refetch(query);
      }
    },
    stop() {
      afterFetch.clear();
      unsubscribe();
    },
  };
}
