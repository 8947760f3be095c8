"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ParallelSettings } from "../dispatch/policy/parallel-settings";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { applyParallelEdit, type ParallelDetails } from "./settings-edits";

const base = "/api/private/lifecycle_management/parallel_execution_settings";

/** env_value, settings_value and current_value of each parallel execution setting. */
export const useParallelSettingDetails = (orgId: string) =>
  useQuery({ queryKey: queryKeys.parallelSettings.details(orgId), queryFn: () => fetchJson<ParallelDetails>(`${base}:details?orgId=${orgId}`) });

/** Org admins change settings_value; optimistic, rolled back if the server refuses. */
export function useUpdateParallelSettings(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.parallelSettings.details(orgId);
  return useMutation({
    mutationFn: (edit: Partial<ParallelSettings>) => fetchJson<ParallelSettings>(`${base}?orgId=${orgId}`, { method: "PUT", body: edit }),
    onMutate: async (edit) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<ParallelDetails>(key);
      if (previous) queryClient.setQueryData<ParallelDetails>(key, applyParallelEdit(previous, edit));
      return { previous };
    },
    onError: (_error, _edit, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
