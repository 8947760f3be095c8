"use client";

import { useIsMutating, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import { LIVE_INTERVAL_MS, queryKeys } from "./query-keys";
import { applyProjectEdit, type PoolRow, type ProjectEdit, type ProjectRow } from "./settings-edits";

const updateKey = (orgId: string) => [...queryKeys.config.projects(orgId), "update"] as const;

/**
 * An org's projects with live usage (in-flight changes, so they poll as a fallback too). The poll pauses while an edit is on its way, so it cannot put the old values back on
 * screen before the server has answered.
 */
export function useOrgProjects(orgId: string) {
  const editing = useIsMutating({ mutationKey: updateKey(orgId) }) > 0;
  return useQuery({
    queryKey: queryKeys.config.projects(orgId),
    queryFn: () => fetchJson<ProjectRow[]>(`/api/orgs/${orgId}/projects`),
    refetchInterval: editing ? false : LIVE_INTERVAL_MS,
  });
}

/** An org's pools with the in-flight their projects share. */
export const useOrgPools = (orgId: string) =>
  useQuery({ queryKey: queryKeys.config.pools(orgId), queryFn: () => fetchJson<PoolRow[]>(`/api/orgs/${orgId}/pools`), refetchInterval: LIVE_INTERVAL_MS });

/**
 * Org admins set a project's Max Concurrent Jobs (null clears the override) and its pool.
 * The screen shows the new values at once; if the server refuses, the old ones come back
 * and the mutation's error carries the server's words.
 */
export function useUpdateProject(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.config.projects(orgId);
  return useMutation({
    mutationKey: updateKey(orgId),
    mutationFn: ({ projectId, maxConcurrentJobs, poolId }: ProjectEdit) =>
      fetchJson<unknown>(`/api/orgs/${orgId}/projects/${projectId}`, { method: "PATCH", body: { maxConcurrentJobs, poolId } }),
    onMutate: async (edit) => {
      // A refetch landing after this would overwrite the optimistic values with old ones.
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<ProjectRow[]>(key);
      queryClient.setQueryData<ProjectRow[]>(key, (projects) => projects?.map((p) => applyProjectEdit(p, edit)));
      return { previous };
    },
    onError: (_error, _edit, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: queryKeys.config.pools(orgId) })]),
  });
}
