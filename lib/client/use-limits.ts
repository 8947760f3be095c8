"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { OrgLimits } from "../contract/keys";
import type { PlatformSettings } from "../contract/platform";
import type { Queue } from "../contract/queues";
import { fetchJson } from "./fetch-json";
import type { Rate } from "./limits-view";
import { queryKeys } from "./query-keys";

// Writes of the limits (docs/limits.md) outside a flow: the org's rate limit and backlog cap,
// a queue's rate limit, the platform's default backlog cap. Each form keeps what was typed
// until the server answers: its reply goes into the cache at once, a refusal (422 naming the
// field) is shown next to the field while the typed values stay for correcting.

export interface OrgLimitsEdit { rateLimit?: Rate | null; maxQueued?: number | null; alertQueueAgeMs?: number | null; alertStuckRunMs?: number | null }

export function useUpdateOrgLimits(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.org(orgId).limits();
  return useMutation({
    mutationFn: (edit: OrgLimitsEdit) => fetchJson<OrgLimits>(`/api/orgs/${orgId}/limits`, { method: "PATCH", body: edit }),
    onSuccess: (limits) => queryClient.setQueryData(key, limits),
    // Its alert thresholds may have changed: the alerts are decided again.
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).alerts() })]),
  });
}

export function useUpdateQueueRate(orgId: string) {
  const queryClient = useQueryClient();
  const key = queryKeys.org(orgId).queues();
  return useMutation({
    mutationFn: ({ queueId, rateLimit }: { queueId: string; rateLimit: Rate | null }) =>
      fetchJson<Queue>(`/api/orgs/${orgId}/queues/${queueId}`, { method: "PATCH", body: { rateLimit } }),
    onSuccess: (queue) => queryClient.setQueryData<Queue[]>(key, (queues) => queues?.map((q) => (q.id === queue.id ? queue : q))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

/** Platform admins: PUT /api/platform/settings with only the fields that changed. */
export function useUpdatePlatformSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: Partial<PlatformSettings>) => fetchJson<PlatformSettings>("/api/platform/settings", { method: "PUT", body: edit }),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.platform.settings(), settings),
    // Every org without a cap of its own now has another: their limits refetch where shown.
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.platform.all }), queryClient.invalidateQueries({ queryKey: ["org"] })]),
  });
}
