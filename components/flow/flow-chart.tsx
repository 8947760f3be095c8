"use client";

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useFlowSamples } from "@/lib/client/queries";
import type { FlowSamples } from "@/lib/contract/samples";

/** Seconds on the axis only when buckets are finer than a minute, or ticks would repeat. */
const timeFormat = (bucketSeconds: number) => (at: string) =>
  new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", ...(bucketSeconds < 60 ? { second: "2-digit" } : {}) });

/** The flow's in-flight and queued over the last hour, from the samples the app takes every few seconds. */
export function FlowChart({ orgId, flowId }: { orgId: string; flowId: string }) {
  const { data, error, isPending } = useFlowSamples(orgId, flowId, "1h");
  return (
    <figure aria-labelledby="flow-chart-title" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption id="flow-chart-title" className="text-base font-semibold">
        In flight and queued, last hour
        {data && <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">averaged per {data.bucketSeconds} s</span>}
      </figcaption>
      {isPending && <div role="status" aria-label="Loading chart" className="mt-3 h-56 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />}
      {error && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">Could not load the chart: {error.message}</p>}
      {data && data.points.length === 0 && <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">No samples yet: they are taken every few seconds while the app runs.</p>}
      {data && data.points.length > 0 && <SamplesChart data={data} />}
    </figure>
  );
}

function SamplesChart({ data }: { data: FlowSamples }) {
  const time = timeFormat(data.bucketSeconds);
  return (
    <div className="mt-3 h-56 text-zinc-600 dark:text-zinc-400" data-testid="flow-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data.points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} />
          <XAxis dataKey="at" tickFormatter={time} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" minTickGap={40} />
          <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
          <Tooltip labelFormatter={(at) => time(String(at))} contentStyle={{ borderRadius: 8, fontSize: 12, color: "#18181b" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area type="monotone" dataKey="inFlight" name="In flight" stroke="#4f46e5" fill="#6366f1" fillOpacity={0.3} isAnimationActive={false} />
          <Area type="monotone" dataKey="queued" name="Queued" stroke="#d97706" fill="#f59e0b" fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
