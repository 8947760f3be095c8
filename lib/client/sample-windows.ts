import type { SampleWindow } from "./query-keys";

/** The time windows the charts offer; the `since` of a request is computed when it is sent. */
export const SAMPLE_WINDOWS: { value: SampleWindow; label: string; ms: number }[] = [
  { value: "15m", label: "15 min", ms: 15 * 60_000 },
  { value: "1h", label: "1 hour", ms: 60 * 60_000 },
  { value: "6h", label: "6 hours", ms: 6 * 60 * 60_000 },
  { value: "24h", label: "24 hours", ms: 24 * 60 * 60_000 },
];

export function sinceFor(window: SampleWindow, now = Date.now()): string {
  const ms = SAMPLE_WINDOWS.find((w) => w.value === window)!.ms;
  return new Date(now - ms).toISOString();
}
