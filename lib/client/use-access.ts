"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiToken, ApiTokenIssued, Member, MemberAdded, Organization } from "../contract/orgs";
import { fetchJson } from "./fetch-json";
import { useFallbackPoll } from "./live";
import { queryKeys } from "./query-keys";

// Onboarding from the console (docs/operations.md, "Onboarding a tenant"): an org itself, its
// people and its tokens. Writes put the server's reply in the cache, then refetch what they
// touched; a refusal comes back as the mutation's ApiError, shown next to the form.

function useAccessQuery<T>(queryKey: readonly unknown[], url: string, enabled = true) {
  const refetchInterval = useFallbackPoll();
  return useQuery<T>({ queryKey, queryFn: () => fetchJson<T>(url), refetchInterval, enabled });
}

export const useOrgInfo = (orgId: string) => useAccessQuery<Organization>(queryKeys.org(orgId).info(), `/api/orgs/${orgId}`);
export const useMembers = (orgId: string) => useAccessQuery<Member[]>(queryKeys.org(orgId).members(), `/api/orgs/${orgId}/members`);
export const useOrgTokens = (orgId: string, enabled: boolean) => useAccessQuery<ApiToken[]>(queryKeys.org(orgId).tokens(), `/api/orgs/${orgId}/tokens`, enabled);
export const usePlatformTokens = (enabled = true) => useAccessQuery<ApiToken[]>(queryKeys.platform.tokens(), "/api/platform/tokens", enabled);

export interface NewOrg {
  name: string;
  slug?: string;
  weight?: number;
  maxConcurrency?: number;
}

export function useCreateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (org: NewOrg) => fetchJson<Organization>("/api/orgs", { method: "POST", body: org }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.platform.all }),
  });
}

export function useRenameOrg(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: { name?: string; slug?: string }) => fetchJson<Organization>(`/api/orgs/${orgId}`, { method: "PATCH", body: edit }),
    onSuccess: (org) => queryClient.setQueryData(queryKeys.org(orgId).info(), org),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).all }), queryClient.invalidateQueries({ queryKey: queryKeys.platform.all })]),
  });
}

export function useDeleteOrg(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<{ ended: number }>(`/api/orgs/${orgId}`, { method: "DELETE" }),
    onSuccess: () => queryClient.removeQueries({ queryKey: queryKeys.org(orgId).all }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.platform.all }),
  });
}

export function useAddMember(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: { email: string; role: "ADMIN" | "MEMBER"; name?: string }) => fetchJson<MemberAdded>(`/api/orgs/${orgId}/members`, { method: "POST", body: member }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).members() }),
  });
}

export function useSetMemberRole(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: "ADMIN" | "MEMBER" }) => fetchJson<Member>(`/api/orgs/${orgId}/members/${encodeURIComponent(userId)}`, { method: "PATCH", body: { role } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).members() }),
  });
}

export function useRemoveMember(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => fetchJson<null>(`/api/orgs/${orgId}/members/${encodeURIComponent(userId)}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.org(orgId).members() }),
  });
}

/** Tokens of one org (`orgId`) or of the platform (null). */
export function useIssueToken(orgId: string | null) {
  const queryClient = useQueryClient();
  const key = orgId ? queryKeys.org(orgId).tokens() : queryKeys.platform.tokens();
  return useMutation({
    mutationFn: (token: { name: string; kind?: "platform_admin" | "worker" }) =>
      fetchJson<ApiTokenIssued>(orgId ? `/api/orgs/${orgId}/tokens` : "/api/platform/tokens", { method: "POST", body: orgId ? { name: token.name } : token }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useRevokeToken(orgId: string | null) {
  const queryClient = useQueryClient();
  const key = orgId ? queryKeys.org(orgId).tokens() : queryKeys.platform.tokens();
  return useMutation({
    mutationFn: (tokenId: string) => fetchJson<null>(orgId ? `/api/orgs/${orgId}/tokens/${tokenId}` : `/api/platform/tokens/${tokenId}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
