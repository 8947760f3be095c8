"use client";

import { useState } from "react";
import { useOrgSamples } from "@/lib/client/queries";
import type { SampleWindow } from "@/lib/client/query-keys";
import { SamplesChart } from "./samples-chart";

/** One org's in-flight and queued executions over time. */
export function OrgChart({ orgId }: { orgId: string }) {
  const [range, setRange] = useState<SampleWindow>("1h");
  const query = useOrgSamples(orgId, range);
  return (
    <SamplesChart title="In flight and queued over time" headingId={`org-chart-${orgId}`} testId="org-chart" pickerLabel="Time window of the organization chart" range={range} onRange={setRange} query={query} />
  );
}
