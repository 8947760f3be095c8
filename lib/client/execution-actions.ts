"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { getFlowConcurrency } from "@/lib/flows/flow-concurrency";
import { fetchJson } from "./fetch-json";
import type { Json } from "./json";
import { queryKeys } from "./query-keys";

export type FlowConcurrencyView = Json<Awaited<ReturnType<typeof getFlowConcurrency>>>;

/** After a kill or delete every count on screen may have moved: refetch what is shown. */
function invalidateAfterChange(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all(
    [queryKeys.flows.all, queryKeys.executions.all, queryKeys.config.all, queryKeys.fairScheduler.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

/**
 * Kills executions (POST /api/executions/{id}/kill each). On a flow's tab the rows leave and
 * their slots free at once (optimistic; the server frees them in the same transaction) and
 * come back if the server refuses.
 */
export function useKillExecutions(flowId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => {
      const results = await Promise.allSettled(ids.map((id) => fetchJson<{ killed: string[] }>(`/api/executions/${id}/kill`, { method: "POST" })));
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    },
    onMutate: async (ids) => {
      if (!flowId) return { before: undefined };
      const key = queryKeys.flows.concurrency(flowId);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<FlowConcurrencyView>(key);
      if (before) {
        const gone = new Set(ids);
        const freed = before.running.filter((e) => gone.has(e.id) && e.holdsSlot).length;
        const unqueued = before.queued.filter((e) => gone.has(e.id)).length;
        queryClient.setQueryData<FlowConcurrencyView>(key, {
          ...before,
          activeSlots: before.activeSlots - freed,
          queuedCount: before.queuedCount - unqueued,
          running: before.running.filter((e) => !gone.has(e.id)),
          queued: before.queued.filter((e) => !gone.has(e.id)),
        });
      }
      return { before };
    },
    onError: (_error, _ids, context) => {
      if (flowId && context?.before) queryClient.setQueryData(queryKeys.flows.concurrency(flowId), context.before);
    },
    onSettled: () => invalidateAfterChange(queryClient),
  });
}

/** DELETE /api/executions/{id}: kills it first if it is live. */
export function useDeleteExecution() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ killed: string[] }>(`/api/executions/${id}`, { method: "DELETE" }),
    onSuccess: (_data, id) => queryClient.removeQueries({ queryKey: queryKeys.executions.detail(id) }),
    onSettled: () => invalidateAfterChange(queryClient),
  });
}
