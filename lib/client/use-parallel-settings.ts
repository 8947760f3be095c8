"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ParallelSettingDetails, ParallelSettings } from "../contract/orgs";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { applyParallelEdit } from "./settings-edits";

/** Org admins change settings_value; optimistic, rolled back if the server refuses. */
export function useUpdateParallelSettings(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.org(orgId).parallelSettings();
  return useMutation({
    mutationFn: (edit: Partial<ParallelSettings>) =>
      fetchJson<ParallelSettings>(`/api/private/lifecycle_management/parallel_execution_settings?orgId=${orgId}`, { method: "PUT", body: edit }),
    onMutate: async (edit) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<ParallelSettingDetails>(key);
      if (previous) queryClient.setQueryData<ParallelSettingDetails>(key, applyParallelEdit(previous, edit));
      return { previous };
    },
    onError: (_error, _edit, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
