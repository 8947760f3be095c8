"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { OrgConcurrency, SingleOrgConcurrency } from "../orgs/org-concurrency";
import { fetchJson } from "./fetch-json";
import { applyOrgEdit } from "./org-edit";
import { queryKeys } from "./query-keys";

export interface OrgUpdate {
  orgId: string;
  weight: number;
  maxConcurrency: number;
}

/**
 * Platform admins change an org's weight and cap. The table shows the new values at once;
 * if the server refuses, the old ones come back and the mutation's error says why.
 */
export function useUpdateOrg() {
  const queryClient = useQueryClient();
  const listKey = queryKeys.fairScheduler.orgs();
  return useMutation({
    mutationFn: ({ orgId, weight, maxConcurrency }: OrgUpdate) =>
      fetchJson<SingleOrgConcurrency>(`/api/fair-scheduler/orgs/${orgId}`, { method: "PUT", body: { weight, maxConcurrency } }),
    onMutate: async ({ orgId, weight, maxConcurrency }) => {
      // A refetch landing after this would overwrite the optimistic values with old ones.
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData<OrgConcurrency[]>(listKey);
      queryClient.setQueryData<OrgConcurrency[]>(listKey, (orgs) => orgs && applyOrgEdit(orgs, { orgId, weight, maxConcurrency }));
      return { previous };
    },
    onError: (_error, _update, context) => {
      if (context?.previous) queryClient.setQueryData(listKey, context.previous);
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.fairScheduler.all }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit.all }),
      ]),
  });
}
