"use client";

import { useState } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useOrgSamples } from "@/lib/client/queries";
import type { SampleWindow } from "@/lib/client/query-keys";
import { axisProps, ChartLegend, ChartMessage, ChartTooltip, timeAxis, WindowPicker } from "./chart-parts";
import { Skeleton } from "./skeleton";

const SERIES = [
  { key: "inFlight", label: "In flight", color: "#6366f1" },
  { key: "queued", label: "Queued", color: "#f59e0b" },
] as const;

/** One org's in-flight and queued executions over time. */
export function OrgChart({ orgId }: { orgId: string }) {
  const [range, setRange] = useState<SampleWindow>("1h");
  const { data, error, isPending, dataUpdatedAt } = useOrgSamples(orgId, range);
  const rows = (data?.points ?? []).map((p) => ({ t: Date.parse(p.at), inFlight: p.inFlight, queued: p.queued }));
  const latest = rows.at(-1);

  return (
    <figure aria-labelledby={`org-chart-${orgId}`} className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <figcaption>
          <h2 id={`org-chart-${orgId}`} className="text-lg font-semibold">In flight and queued over time</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Executions holding a slot, and executions waiting for one.{data && ` Each point averages ${data.bucketSeconds} s of samples.`}
          </p>
        </figcaption>
        <WindowPicker value={range} onChange={setRange} label="Time window of the organization chart" />
      </div>
      <div className="mt-4 text-zinc-600 dark:text-zinc-400">
        {isPending && <Skeleton label="Loading chart" className="h-56 rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
        {error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the chart: {error.message}</p>}
        {data && rows.length === 0 && <ChartMessage>No samples in this window yet. They are taken every 5 seconds.</ChartMessage>}
        {data && rows.length > 0 && (
          <>
            <div className="h-56" data-testid="org-chart">
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
            <ChartLegend caption="Latest values" items={SERIES.map((s) => ({ ...s, latest: latest?.[s.key] ?? 0 }))} />
          </>
        )}
      </div>
    </figure>
  );
}
