"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { KeyOverride, KeyRule } from "../contract/keys";
import { fetchJson } from "./fetch-json";
import type { Rate } from "./limits-view";
import { queryKeys } from "./query-keys";

// Org admins create, edit and delete concurrency key rules and give single keys a limit of
// their own (docs/limits.md, "Concurrency keys"). Limits apply at the next claim, so after
// each write every key-rule query of the org refetches: the lists, keys views and overrides.

export interface KeyRuleCreate {
  name: string;
  flowId?: string;
  queueId?: string;
  key: KeyRule["key"];
  limit?: number | null;
  rateLimit?: Rate | null;
}

export interface KeyRuleEdit { ruleId: string; name?: string; limit?: number | null; rateLimit?: Rate | null }

function useRefetchKeyRules(orgId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).keyRulesAll() });
}

export function useCreateKeyRule(orgId: string) {
  const refetch = useRefetchKeyRules(orgId);
  return useMutation({
    mutationFn: (rule: KeyRuleCreate) => fetchJson<KeyRule>(`/api/orgs/${orgId}/key-rules`, { method: "POST", body: rule }),
    onSettled: refetch,
  });
}

export function useUpdateKeyRule(orgId: string) {
  const refetch = useRefetchKeyRules(orgId);
  return useMutation({
    mutationFn: ({ ruleId, ...edit }: KeyRuleEdit) => fetchJson<KeyRule>(`/api/orgs/${orgId}/key-rules/${ruleId}`, { method: "PATCH", body: edit }),
    onSettled: refetch,
  });
}

/** The rule leaves the lists at once (and comes back if the server refuses). */
export function useDeleteKeyRule(orgId: string) {
  const queryClient = useQueryClient();
  const refetch = useRefetchKeyRules(orgId);
  const lists = [...queryKeys.org(orgId).keyRulesAll(), "list"];
  return useMutation({
    mutationFn: (ruleId: string) => fetchJson<null>(`/api/orgs/${orgId}/key-rules/${ruleId}`, { method: "DELETE" }),
    onMutate: async (ruleId) => {
      await queryClient.cancelQueries({ queryKey: lists });
      const before = queryClient.getQueriesData<KeyRule[]>({ queryKey: lists });
      queryClient.setQueriesData<KeyRule[]>({ queryKey: lists }, (rules) => rules?.filter((r) => r.id !== ruleId));
      return { before };
    },
    onError: (_error, _ruleId, context) => {
      for (const [key, data] of context?.before ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: refetch,
  });
}

/** PUT …/overrides: one key's own limit, created or replaced. */
export function usePutKeyOverride(orgId: string, ruleId: string) {
  const refetch = useRefetchKeyRules(orgId);
  return useMutation({
    mutationFn: (override: { key: string; limit: number }) => fetchJson<KeyOverride>(`/api/orgs/${orgId}/key-rules/${ruleId}/overrides`, { method: "PUT", body: override }),
    onSettled: refetch,
  });
}

/** DELETE …/overrides?key=: the rule's limit applies to the key again. */
export function useDeleteKeyOverride(orgId: string, ruleId: string) {
  const refetch = useRefetchKeyRules(orgId);
  return useMutation({
    mutationFn: (key: string) => fetchJson<null>(`/api/orgs/${orgId}/key-rules/${ruleId}/overrides?${new URLSearchParams({ key })}`, { method: "DELETE" }),
    onSettled: refetch,
  });
}
