"use client";

import { useState } from "react";
import { SamplesChart } from "@/components/samples-chart";
import { useFlowSamples } from "@/lib/client/queries";
import type { SampleWindow } from "@/lib/client/query-keys";

/** The flow's in-flight and queued over time, from the samples the app takes every few seconds. */
export function FlowChart({ orgId, flowId }: { orgId: string; flowId: string }) {
  const [range, setRange] = useState<SampleWindow>("1h");
  const query = useFlowSamples(orgId, flowId, range);
  return (
    <SamplesChart title="In flight and queued over time" headingId={`flow-chart-${flowId}`} testId="flow-chart" pickerLabel="Time window of the flow chart" range={range} onRange={setRange} query={query} />
  );
}
