"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { OrgConcurrency, OrgConcurrencyRow } from "../contract/orgs";
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
  const listKey = queryKeys.platform.orgs();
  return useMutation({
    mutationFn: ({ orgId, weight, maxConcurrency }: OrgUpdate) =>
      fetchJson<OrgConcurrency>(`/api/fair-scheduler/orgs/${orgId}`, { method: "PUT", body: { weight, maxConcurrency } }),
    onMutate: async ({ orgId, weight, maxConcurrency }) => {
      // A refetch landing after this would overwrite the optimistic values with old ones.
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData<OrgConcurrencyRow[]>(listKey);
      queryClient.setQueryData<OrgConcurrencyRow[]>(listKey, (orgs) => orgs && applyOrgEdit(orgs, { orgId, weight, maxConcurrency }));
      return { previous };
    },
    onError: (_error, _update, context) => {
      if (context?.previous) queryClient.setQueryData(listKey, context.previous);
    },
    onSettled: (_data, _error, { orgId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.platform.all }),
        queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).all }),
      ]),
  });
}
