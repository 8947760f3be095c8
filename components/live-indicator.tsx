"use client";

import { useLive } from "@/lib/client/live";

// Whether the screens are live (the event stream is connected), and the control to pause them:
// paused, nothing refetches by itself — for reading a busy screen without it moving.

export function LiveIndicator() {
  const { connected, paused, setPaused } = useLive();
  const state = paused ? "Paused" : connected ? "Live" : "Reconnecting…";
  const dot = paused ? "bg-zinc-400" : connected ? "bg-emerald-500" : "bg-amber-500";
  return (
    <button
      type="button"
      onClick={() => setPaused(!paused)}
      aria-pressed={paused}
      title={paused ? "Resume live updates" : "Pause live updates"}
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
    >
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden="true" />
      <span role="status" aria-live="polite">{state}</span>
      <span className="sr-only">{paused ? "(press to resume live updates)" : "(press to pause live updates)"}</span>
    </button>
  );
}
