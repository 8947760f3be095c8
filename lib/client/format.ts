/** How the console writes times and durations: short, and the same on every screen. */

/** 5s, 1m 05s, 2h 03m — whole seconds, the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, "0")}h`;
}

/** "12s ago" for a past instant, relative to `nowMs`. */
export function formatAgo(at: string | Date | null, nowMs: number): string {
  if (at === null) return "never";
  return `${formatDuration(nowMs - new Date(at).getTime())} ago`;
}

/** Wall-clock time with seconds; the date too when it is not today. */
export function formatTime(at: string | Date | null, nowMs: number = Date.now()): string {
  if (at === null) return "—";
  const d = new Date(at);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return d.toDateString() === new Date(nowMs).toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/** The first block of a UUID: enough to tell executions apart on screen. */
export const shortId = (id: string) => id.slice(0, 8);
