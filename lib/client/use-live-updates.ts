"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

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
    const source = new EventSource("/api/events");
    const refetch = () => void queryClient.invalidateQueries({ refetchType: "active" });
    let dropped = false;
    source.addEventListener("ready", () => {
      setConnected(true);
      if (dropped) refetch(); // back after a drop: changes made meanwhile were not announced
      dropped = false;
    });
    source.addEventListener("change", refetch);
    source.onerror = () => {
      dropped = true;
      setConnected(false);
    };
    return () => source.close();
  }, [enabled, queryClient]);
  return connected;
}
