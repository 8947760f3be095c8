"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

/** After a refused reconnect (the server answered an error), the browser gives up: we try again this long after. */
const REOPEN_AFTER_MS = { min: 5_000, spread: 10_000 };

/**
 * Subscribes to /api/events and refetches active queries whenever the server says something
 * changed, so every screen is current at once without polling each query. Returns
 * whether the stream is connected (the UI shows "live" / "reconnecting").
 */
export function useLiveUpdates(enabled = true): boolean {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const refetch = () => void queryClient.invalidateQueries({ refetchType: "active" });
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let dropped = false;
    const open = () => {
      source = new EventSource("/api/events");
      source.addEventListener("ready", () => {
        setConnected(true);
        if (dropped) refetch(); // back after a drop: changes made meanwhile were not announced
        dropped = false;
      });
      source.addEventListener("change", refetch);
      source.onerror = () => {
        dropped = true;
        setConnected(false);
        // A dropped stream is retried by the browser; a reply other than the stream (the
        // database was down, say) closes it for good.
        if (source?.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_AFTER_MS.min + Math.random() * REOPEN_AFTER_MS.spread);
      };
    };
    open();
    return () => {
      clearTimeout(reopen);
      source?.close();
    };
  }, [enabled, queryClient]);
  return connected;
}
