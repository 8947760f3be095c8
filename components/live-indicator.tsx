"use client";

import { useLiveUpdates } from "@/lib/client/use-live-updates";

/** Keeps the page live (server-sent events) and shows whether it is. */
export function LiveIndicator() {
  const connected = useLiveUpdates();
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400" role="status" aria-live="polite">
      <span className={`h-2 w-2 rounded-full ${connected ? "bg-emerald-500" : "bg-amber-500"}`} aria-hidden="true" />
      {connected ? "Live" : "Reconnecting…"}
    </span>
  );
}
