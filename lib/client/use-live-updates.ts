"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

/**
 * Subscribes to /api/events and refetches active queries whenever the server says something
 * changed, so every screen is current within a second without polling each query. Returns
 * whether the stream is connected (the UI shows "live" / "reconnecting").
 */
export function useLiveUpdates(enabled = true): boolean {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource("/api/events");
    source.addEventListener("ready", () => setConnected(true));
    source.addEventListener("change", () => void queryClient.invalidateQueries({ refetchType: "active" }));
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [enabled, queryClient]);
  return connected;
}
