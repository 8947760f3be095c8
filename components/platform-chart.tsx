"use client";

import { useState } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { usePlatformSamples } from "@/lib/client/queries";
import type { SampleWindow } from "@/lib/client/query-keys";
import { seriesColors } from "@/lib/client/series-colors";
import { axisProps, ChartLegend, ChartMessage, ChartTooltip, timeAxis, WindowPicker } from "./chart-parts";
import { Skeleton } from "./skeleton";

const OTHER_COLOR = "#a1a1aa";
const OTHER_KEY = "__other";

/** Platform admins: in-flight per org over time, stacked; the busiest orgs named, the rest as "Other". */
export function PlatformChart() {
  const [range, setRange] = useState<SampleWindow>("1h");
  const { data, error, isPending, dataUpdatedAt } = usePlatformSamples(range);

  const colors = seriesColors((data?.series ?? []).map((s) => s.organizationId));
  const series = [
    ...(data?.series ?? []).map((s) => ({ key: s.organizationId, label: s.name, color: colors.get(s.organizationId)! })),
    ...(data?.hasOther ? [{ key: OTHER_KEY, label: "Other organizations", color: OTHER_COLOR }] : []),
  ];
  // Recharts wants one flat object per point: { t, <orgId>: in-flight, …, __other }.
  const rows: Record<string, number>[] = (data?.points ?? []).map((p) => ({
    t: Date.parse(p.at),
    [OTHER_KEY]: p.other,
    ...Object.fromEntries((data?.series ?? []).map((s) => [s.organizationId, p.inFlight[s.organizationId] ?? 0])),
  }));
  const latest = rows.at(-1);

  return (
    <figure aria-labelledby="platform-chart-title" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <figcaption>
          <h2 id="platform-chart-title" className="text-lg font-semibold">In flight per organization</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Executions holding a slot, stacked{data?.hasOther ? `; the ${data.series.length} busiest organizations by name, everyone else as “Other”` : ""}.
            {data && ` Each point averages ${data.bucketSeconds} s of samples.`}
          </p>
        </figcaption>
        <WindowPicker value={range} onChange={setRange} label="Time window of the in-flight chart" />
      </div>
      <div className="mt-4 text-zinc-600 dark:text-zinc-400">
        {isPending && <Skeleton label="Loading chart" className="h-56 rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
        {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the chart: {error.message}</p>}
        {data && rows.length === 0 && <ChartMessage>No samples in this window yet. They are taken every 5 seconds.</ChartMessage>}
        {data && rows.length > 0 && series.length === 0 && <ChartMessage>Nothing was in flight in this window.</ChartMessage>}
        {data && rows.length > 0 && series.length > 0 && (
          <>
            <div className="h-56" data-testid="platform-chart">
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.25} vertical={false} />
                  <XAxis dataKey="t" {...timeAxis(data.since, Math.max(dataUpdatedAt, latest?.t ?? 0))} {...axisProps} />
                  <YAxis allowDecimals={false} {...axisProps} />
                  <Tooltip content={(props) => <ChartTooltip {...props} />} />
                  {series.map((s) => (
                    <Area key={s.key} dataKey={s.key} name={s.label} stackId="in-flight" type="monotone" stroke={s.color} fill={s.color} fillOpacity={0.35} isAnimationActive={false} />
                  ))}
                </AreaChart>
              </ResponsiveContainer>
            </div>
            <ChartLegend caption="Latest in-flight per organization" items={series.map((s) => ({ ...s, latest: latest?.[s.key] ?? 0 }))} />
          </>
        )}
      </div>
    </figure>
  );
}
