import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { concerns, createRefresher } from "./live-refresh";
import { queryKeys } from "./query-keys";

/** A query with an observer (so it is active) whose fetches the test ends by hand. */
function watched(client: QueryClient, queryKey: readonly unknown[], meta?: Record<string, unknown>) {
  const fetches: { resolve: (value: number) => void; signal: AbortSignal }[] = [];
  const observer = new QueryObserver(client, {
    queryKey,
    meta,
    queryFn: ({ signal }) => new Promise<number>((resolve) => fetches.push({ resolve, signal })),
  });
  const unsubscribe = observer.subscribe(() => undefined);
  return { fetches, unsubscribe };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const clients: QueryClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.clear()));

function client() {
  const c = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  clients.push(c);
  return c;
}

describe("a change event", () => {
  it("concerns its orgs' queries and every platform-wide view; a platform change concerns all", () => {
    const changed = { orgIds: ["a"], platform: false };
    expect(concerns(queryKeys.org("a").flows(), changed)).toBe(true);
    expect(concerns(queryKeys.org("b").flows(), changed)).toBe(false);
    expect(concerns(queryKeys.platform.orgs(), changed)).toBe(true);
    expect(concerns(queryKeys.org("b").flows(), { orgIds: [], platform: true })).toBe(true);
  });

  // Every change called invalidateQueries, which aborted the fetch in flight and started it over:
  // under ~2 changes a second a query slower than half a second never finished.
  it("never aborts a fetch in flight: the query is fetched again once, after it ends", async () => {
    const qc = client();
    const q = watched(qc, queryKeys.org("a").flows());
    await tick();
    expect(q.fetches).toHaveLength(1);
    const refresher = createRefresher(qc);
    for (let i = 0; i < 5; i++) refresher.changed({ orgIds: ["a"], platform: false });
    await tick();
    expect(q.fetches).toHaveLength(1);
    expect(q.fetches[0]!.signal.aborted).toBe(false);
    q.fetches[0]!.resolve(1);
    await tick();
    expect(q.fetches).toHaveLength(2); // the changes that came meanwhile: one refetch
    q.fetches[1]!.resolve(2);
    await tick();
    expect(q.fetches).toHaveLength(2);
    expect(qc.getQueryData(queryKeys.org("a").flows())).toBe(2);
    refresher.stop();
    q.unsubscribe();
  });

  it("refetches an idle query of the org that changed at once, and leaves other orgs' and the charts alone", async () => {
    const qc = client();
    const mine = watched(qc, queryKeys.org("a").concurrency());
    const theirs = watched(qc, queryKeys.org("b").concurrency());
    const chart = watched(qc, queryKeys.org("a").samples("1h"), { live: false });
    await tick();
    for (const q of [mine, theirs, chart]) q.fetches[0]!.resolve(0);
    await tick();
    const refresher = createRefresher(qc);
    refresher.changed({ orgIds: ["a"], platform: false });
    await tick();
    expect([mine.fetches.length, theirs.fetches.length, chart.fetches.length]).toEqual([2, 1, 1]);
    refresher.stop();
    for (const q of [mine, theirs, chart]) q.unsubscribe();
  });
});
