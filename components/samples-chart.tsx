"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SampleWindow } from "@/lib/client/query-keys";
import type { Samples } from "@/lib/contract/samples";
import { axisProps, ChartLegend, ChartMessage, ChartTooltip, timeAxis, WindowPicker } from "./chart-parts";
import { Skeleton } from "./skeleton";

// In flight and queued over time, for an org or a flow: one chart with one look (time windows,
// wall-clock axis, 2 px lines that read in dark mode too), so the two screens cannot drift.

const SERIES = [
  { key: "inFlight", label: "In flight", color: "#6366f1" },
  { key: "queued", label: "Queued", color: "#f59e0b" },
] as const;

export interface SamplesQuery {
  data: Samples | undefined;
  error: Error | null;
  isPending: boolean;
  dataUpdatedAt: number;
}

export function SamplesChart({ title, headingId, testId, pickerLabel, range, onRange, query }: {
  title: string;
  headingId: string;
  testId: string;
  pickerLabel: string;
  range: SampleWindow;
  onRange: (range: SampleWindow) => void;
  query: SamplesQuery;
}) {
  const { data, error, isPending, dataUpdatedAt } = query;
  const rows = (data?.points ?? []).map((p) => ({ t: Date.parse(p.at), inFlight: p.inFlight, queued: p.queued }));
  const latest = rows.at(-1);
  const empty = rows.length > 0 && rows.every((r) => r.inFlight === 0 && r.queued === 0);
  return (
    <figure aria-labelledby={headingId} className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <figcaption>
          <h2 id={headingId} className="text-lg font-semibold">{title}</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Executions holding a slot, and executions waiting for one.{data && ` Each point averages ${data.bucketSeconds} s of samples.`}
          </p>
        </figcaption>
        <WindowPicker value={range} onChange={onRange} label={pickerLabel} />
      </div>
      <div className="mt-4 text-zinc-600 dark:text-zinc-400">
        {isPending && <Skeleton label="Loading chart" className="h-56 rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
        {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the chart: {error.message}</p>}
        {data && rows.length === 0 && <ChartMessage>No samples in this window yet. They are taken every 5 seconds.</ChartMessage>}
        {data && empty && <ChartMessage>Nothing was in flight or queued in this window.</ChartMessage>}
        {data && rows.length > 0 && !empty && (
          <>
            <div className="h-56" data-testid={testId}>
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} vertical={false} />
                  <XAxis dataKey="t" {...timeAxis(data.since, Math.max(dataUpdatedAt, latest?.t ?? 0))} {...axisProps} />
                  <YAxis allowDecimals={false} {...axisProps} />
                  <Tooltip content={(props) => <ChartTooltip {...props} />} />
                  {SERIES.map((s) => (
                    <Area key={s.key} dataKey={s.key} name={s.label} type="monotone" stroke={s.color} fill={s.color} fillOpacity={0.2} strokeWidth={2} isAnimationActive={false} />
                  ))}
                </AreaChart>
              </ResponsiveContainer>
            </div>
            {/* The last point is an average over its bucket: said so, so it is not read as the card's live count. */}
            <ChartLegend caption={`Average over the last ${data.bucketSeconds} s`} items={SERIES.map((s) => ({ ...s, latest: latest?.[s.key] ?? 0 }))} />
          </>
        )}
      </div>
    </figure>
  );
}
