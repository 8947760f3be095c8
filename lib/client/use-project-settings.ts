"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Project } from "../contract/projects";
import { fetchJson } from "./fetch-json";
import { projectEditKey } from "./queries";
import { queryKeys } from "./query-keys";
import { applyProjectEdit, type ProjectEdit } from "./settings-edits";

// Org admins set a project's Max Concurrent Jobs (null clears the override) and its pool.
// The screen shows the new values at once; if the server refuses, the old ones come back
// and the mutation's error carries the server's words. While it is on its way the projects do
// not poll (useProjects), so the old values cannot come back before the server has answered.

export function useUpdateProject(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.org(orgId).projects();
  return useMutation({
    mutationKey: projectEditKey(orgId),
    mutationFn: ({ projectId, maxConcurrentJobs, poolId }: ProjectEdit) =>
      fetchJson<Project>(`/api/orgs/${orgId}/projects/${projectId}`, { method: "PATCH", body: { maxConcurrentJobs, poolId } }),
    onMutate: async (edit) => {
      // A refetch landing after this would overwrite the optimistic values with old ones.
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Project[]>(key);
      queryClient.setQueryData<Project[]>(key, (projects) => projects?.map((p) => applyProjectEdit(p, edit)));
      return { previous };
    },
    onError: (_error, _edit, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).pools() })]),
  });
}
