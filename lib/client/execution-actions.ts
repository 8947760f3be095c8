"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { BulkKilled, BulkRerun } from "../contract/executions";
import type { FlowConcurrency } from "../contract/flows";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";

/** After a kill or delete every count of the org on screen may have moved (and the platform's): refetch what is shown. */
function invalidateAfterChange(queryClient: ReturnType<typeof useQueryClient>, orgId: string) {
  return Promise.all([queryKeys.org(orgId).all, queryKeys.platform.orgs()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/**
 * Kills executions (POST /api/executions/{id}/kill each). On a flow's tab the rows leave and
 * their slots free at once (optimistic; the server frees them in the same transaction) and
 * come back if the server refuses.
 */
export function useKillExecutions(orgId: string, flowId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => {
      const results = await Promise.allSettled(ids.map((id) => fetchJson<{ killed: string[] }>(`/api/executions/${id}/kill`, { method: "POST" })));
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    },
    onMutate: async (ids) => {
      if (!flowId) return { before: undefined };
      const key = queryKeys.org(orgId).flowConcurrency(flowId);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<FlowConcurrency>(key);
      if (before) {
        const gone = new Set(ids);
        const freed = before.running.filter((e) => gone.has(e.id) && e.holdsSlot).length;
        const unqueued = before.queued.filter((e) => gone.has(e.id)).length;
        queryClient.setQueryData<FlowConcurrency>(key, {
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
      if (flowId && context?.before) queryClient.setQueryData(queryKeys.org(orgId).flowConcurrency(flowId), context.before);
    },
    onSettled: () => invalidateAfterChange(queryClient, orgId),
  });
}

/** DELETE /api/executions/{id}: kills it first if it is live. */
export function useDeleteExecution(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ killed: string[] }>(`/api/executions/${id}`, { method: "DELETE" }),
    onSuccess: (_data, id) => queryClient.removeQueries({ queryKey: queryKeys.org(orgId).execution(id) }),
    onSettled: () => invalidateAfterChange(queryClient, orgId),
  });
}

/** POST /api/executions/{id}/rerun: a new execution through full admission; resolves to it. */
export function useRerunExecution(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ id: string; state: string; reason: string | null }>(`/api/executions/${id}/rerun`, { method: "POST" }),
    onSettled: () => invalidateAfterChange(queryClient, orgId),
  });
}

/** POST /api/executions/{id}/force: run a queued execution now, ignoring caps, with a reason (admins). */
export function useForceExecution(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => fetchJson<{ id: string }>(`/api/executions/${id}/force`, { method: "POST", body: { reason } }),
    onSettled: () => invalidateAfterChange(queryClient, orgId),
  });
}

/** POST /api/executions/{id}/resume: approve a paused execution or end its delay early (admins). */
export function useResumeExecution(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ state: "QUEUED"; holdsSlot: boolean }>(`/api/executions/${id}/resume`, { method: "POST", body: {} }),
    onSettled: () => invalidateAfterChange(queryClient, orgId),
  });
}

/** What a bulk action is about: the executions list's filter (docs/lifecycle.md, "Bulk actions"). */
export type BulkFilter = Partial<Record<"state" | "projectId" | "flowId" | "queue" | "from" | "to", string>>;
type BulkAnswer<A extends "kill" | "rerun"> = A extends "kill" ? BulkKilled : BulkRerun;

/**
 * POST /api/orgs/{orgId}/executions/{kill|rerun} with a filter: `dryRun` first for the count the
 * confirmation shows, then the action itself with that count's `asOf` as the filter's `to`, so
 * what was submitted in between is left alone.
 */
export function useBulkAction<A extends "kill" | "rerun">(orgId: string, action: A) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ filter, dryRun }: { filter: BulkFilter; dryRun: boolean }) =>
      fetchJson<BulkAnswer<A>>(`/api/orgs/${orgId}/executions/${action}`, { method: "POST", body: { filter, dryRun } }),
    onSettled: (_data, _error, { dryRun }) => (dryRun ? undefined : invalidateAfterChange(queryClient, orgId)),
  });
}
