"use client";

import { useMutationState } from "@tanstack/react-query";
import Link from "next/link";
import { ApiError } from "@/lib/client/fetch-json";
import { useFlow, useFlowConcurrency, useProjects } from "@/lib/client/queries";
import { applyFlowEdit } from "@/lib/client/settings-edits";
import { queryKeys } from "@/lib/client/query-keys";
import { BEHAVIORS, formatLimit } from "@/lib/client/flow-words";
import type { FlowBehavior } from "@/lib/contract/fields";
import { FlowChart } from "./flow-chart";
import { FlowExecutionsTable } from "./flow-executions-table";
import { KeyRulesPanel } from "@/components/limits/key-rules";
import { FlowLimitsCard } from "./flow-limits";
import { FlowSettingsForm, type FlowEdit } from "./flow-settings-form";
import { SlotsBar } from "./slots-bar";

/** A flow's concurrency tab: slots in use, its admission limits, its running and queued executions, its settings, key rules and chart. Live. */
export function FlowConcurrencyTab({ orgId, flowId, canAdmin }: { orgId: string; flowId: string; canAdmin: boolean }) {
  const query = useFlowConcurrency(orgId, flowId);
  const flowQuery = useFlow(orgId, flowId);
  const projects = useProjects(orgId);
  const pendingEdit = useMutationState({ filters: { mutationKey: queryKeys.org(orgId).flowEdit(flowId), status: "pending" }, select: (m) => m.state.variables as FlowEdit }).at(-1);
  const { error, isPending } = query;
  const pending = pendingEdit?.concurrency;
  const data = query.data && pending ? { ...query.data, limit: pending.limit, totalSlots: pending.limit, behavior: pending.behavior } : query.data;
  const flow = flowQuery.data && applyFlowEdit(flowQuery.data, pendingEdit);
  if (isPending) return <div role="status" aria-label="Loading flow" className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
  if (error || !data || data.orgId !== orgId) {
    return (
      <div role="alert" className="rounded-xl border border-zinc-200 bg-white p-6 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        {error && !(error instanceof ApiError && error.status === 404) ? `Could not load this flow: ${error.message}` : "This flow does not exist in this organization."}{" "}
        <Link href={`/orgs/${orgId}/flows`} className="text-indigo-700 underline dark:text-indigo-300">Back to flows</Link>
      </div>
    );
  }
  const project = projects.data?.find((p) => p.id === data.projectId);
  const behavior = data.behavior as FlowBehavior;
  return (
    <div className="space-y-6">
      <section aria-labelledby="flow-heading" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="flow-heading" className="text-lg font-semibold">
            <Link href={`/orgs/${orgId}/flows`} className="text-zinc-600 underline decoration-zinc-400 underline-offset-4 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">Flows</Link>
            <span aria-hidden="true" className="mx-2 text-zinc-400">/</span>
            {data.name}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {project ? <>Project {project.name} · </> : null}
            Limit <span className="font-medium text-zinc-900 dark:text-zinc-100" data-testid="flow-limit">{formatLimit(data.limit)}</span> ·
            At the limit a new run <span className="font-medium text-zinc-900 dark:text-zinc-100" data-testid="flow-behavior">{BEHAVIORS[behavior]}</span> ({behavior})
          </p>
        </div>
        <div className="mt-4">
          <SlotsBar active={data.activeSlots} total={data.totalSlots} queued={data.queuedCount} />
        </div>
      </section>
      {flow && <FlowLimitsCard flow={flow} onWindowElapsed={flowQuery.refetch} />}
      {canAdmin && flow && (
        <FlowSettingsForm orgId={orgId} flowId={flowId} current={{ limit: data.limit, behavior }} limits={{ rateLimit: flow.rateLimit, maxQueued: flow.maxQueued, debounce: flow.debounce, retry: flow.retry }} />
      )}
      <FlowExecutionsTable orgId={orgId} data={data} canKill={canAdmin} />
      <KeyRulesPanel orgId={orgId} scope={{ flowId }} canAdmin={canAdmin} headingLevel={2} />
      <FlowChart orgId={orgId} flowId={flowId} />
    </div>
  );
}
