"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createRefresher, EVERYTHING, type Changed } from "./live-refresh";

// The one live-data model of the UI (docs/architecture.md, "Live data"): this provider owns the
// event stream (GET /api/events) and says whether it is connected. While it is, queries do not
// poll — a change event refetches exactly the queries it concerns (live-refresh.ts); while it is
// not, they fall back to polling; paused, neither.

/** How often queries poll while the event stream is down. */
export const FALLBACK_POLL_MS = 5_000;
/** Charts follow no change events: they refresh on this slow interval. */
export const CHART_REFRESH_MS = 15_000;
/** After a refused reconnect (the server answered an error), the browser gives up: we try again this long after. */
const REOPEN_AFTER_MS = { min: 5_000, spread: 10_000 };

interface Live {
  connected: boolean;
  paused: boolean;
  setPaused(paused: boolean): void;
}

const LiveContext = createContext<Live>({ connected: false, paused: false, setPaused: () => undefined });

export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [paused, setPaused] = useState(false);
  const resumed = useRef(false);
  useEffect(() => {
    if (paused || typeof EventSource === "undefined") return;
    const refresher = createRefresher(queryClient);
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let dropped = false;
    const open = () => {
      source = new EventSource("/api/events");
      source.addEventListener("ready", () => {
        setConnected(true);
        // Back after a drop (or a pause): changes made meanwhile were not announced.
        if (dropped) refresher.changed(EVERYTHING);
        dropped = false;
      });
      source.addEventListener("change", (event) => refresher.changed(parseChanged((event as MessageEvent<string>).data)));
      source.onerror = () => {
        dropped = true;
        setConnected(false);
        // A dropped stream is retried by the browser; a reply other than the stream (the
        // database was down, say) closes it for good.
        if (source?.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_AFTER_MS.min + Math.random() * REOPEN_AFTER_MS.spread);
      };
    };
    // After a resume, the first `ready` catches up on what changed while paused.
    dropped = resumed.current;
    resumed.current = true;
    open();
    return () => {
      clearTimeout(reopen);
      source?.close();
      refresher.stop();
      setConnected(false);
    };
  }, [paused, queryClient]);
  const value = useMemo(() => ({ connected, paused, setPaused }), [connected, paused]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** A change event without the orgs it touched (an older server) concerns everything. */
function parseChanged(data: string): Changed {
  try {
    const parsed = JSON.parse(data) as Partial<Changed>;
    return Array.isArray(parsed.orgIds) ? { orgIds: parsed.orgIds, platform: parsed.platform === true } : EVERYTHING;
  } catch {
    return EVERYTHING;
  }
}

export function useLive(): Live {
  return useContext(LiveContext);
}

/** The refetch interval of a live query: none while the stream says when to refetch (or the user paused), a poll while it is down. */
export function useFallbackPoll(everyMs?: number): number | false {
  const { connected, paused } = useLive();
  if (paused) return false;
  // Some data changes without an announcement (heartbeats would flood the stream): `everyMs` refreshes it while live too.
  if (connected) return everyMs ?? false;
  return Math.min(FALLBACK_POLL_MS, everyMs ?? FALLBACK_POLL_MS);
}
