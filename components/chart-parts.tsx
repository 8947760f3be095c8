"use client";

import type { TooltipContentProps } from "recharts";
import type { SampleWindow } from "@/lib/client/query-keys";
import { SAMPLE_WINDOWS } from "@/lib/client/sample-windows";

/** Pieces the concurrency charts share: the window picker, tooltip, legend and axis styling. */

export const formatTime = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * The x axis spans the whole window asked for (not only where samples exist), with evenly
 * spaced ticks, so "15 min" looks like fifteen minutes even on a freshly started platform.
 */
export function timeAxis(since: string, until: number) {
  const start = Date.parse(since);
  // At least a minute wide, so ticks (React keys too) never coincide.
  const end = Math.max(until, start + 60_000);
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round(start + ((end - start) * i) / 5));
  return { type: "number", scale: "time", domain: [start, end], ticks, tickFormatter: formatTime, allowDataOverflow: true } as const;
}

/** Axis text follows the surrounding text colour (currentColor), so it reads in light and dark. */
export const axisProps = { tick: { fill: "currentColor", fontSize: 12 }, stroke: "currentColor", tickLine: false } as const;

export function WindowPicker({ value, onChange, label }: { value: SampleWindow; onChange: (w: SampleWindow) => void; label: string }) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
      {SAMPLE_WINDOWS.map((w) => (
        <button
          key={w.value}
          type="button"
          aria-pressed={value === w.value}
          onClick={() => onChange(w.value)}
          className={`rounded px-2.5 py-1 text-xs font-medium ${value === w.value ? "bg-indigo-600 text-white" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
}

export function ChartTooltip({ active, payload, label }: Partial<TooltipContentProps>) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-semibold">{typeof label === "number" ? formatTime(label) : label}</p>
      <ul className="mt-1 space-y-0.5">
        {[...payload].reverse().map((p) => (
          <li key={String(p.dataKey)} className="flex items-center gap-2">
            <span className="h-2 w-2 rounded-sm" style={{ background: p.color }} aria-hidden="true" />
            <span>{p.name}</span>
            <span className="ml-auto pl-3 tabular-nums">{Number(p.value).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface LegendItem {
  key: string;
  label: string;
  color: string;
  /** The latest value, shown next to the name (and what a screen reader gets instead of the picture). */
  latest: number;
}

export function ChartLegend({ items, caption }: { items: LegendItem[]; caption: string }) {
  return (
    <ul aria-label={caption} className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
      {items.map((i) => (
        <li key={i.key} className="flex items-center gap-1.5">
          <span className="h-2.5 w-2.5 rounded-sm" style={{ background: i.color }} aria-hidden="true" />
          <span>{i.label}</span>
          <span className="tabular-nums text-zinc-600 dark:text-zinc-400">{i.latest.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

export function ChartMessage({ children }: { children: React.ReactNode }) {
  return <p className="flex h-56 items-center justify-center rounded-lg border border-dashed border-zinc-300 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">{children}</p>;
}
