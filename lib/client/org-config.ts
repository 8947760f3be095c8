"use client";

import { useQuery } from "@tanstack/react-query";
import type { FlowWithActivity } from "@/lib/flows/list-flows";
import { fetchJson } from "./fetch-json";
import type { Json } from "./json";
import { LIVE_INTERVAL_MS, queryKeys } from "./query-keys";

/**
 * An org's configuration lists as the screens use them (names for ids, choices for filters),
 * one query each, shared by every screen through the query cache.
 */
export interface ProjectItem { id: string; name: string; maxConcurrentJobs: number | null; poolId: string | null }
export interface QueueItem { id: string; name: string; priority: number; concurrency: number }
export interface PoolItem { id: string; key: string; limit: number }
export type FlowItem = Json<FlowWithActivity>;

/** `live`: also poll (the fallback when the event stream is down), where the counts are on screen. */
export const useFlows = (orgId: string, { live = false } = {}) =>
  useQuery({ queryKey: queryKeys.config.flows(orgId), queryFn: () => fetchJson<FlowItem[]>(`/api/orgs/${orgId}/flows`), refetchInterval: live ? LIVE_INTERVAL_MS : false });
export const useProjects = (orgId: string) =>
  useQuery({ queryKey: queryKeys.config.projects(orgId), queryFn: () => fetchJson<ProjectItem[]>(`/api/orgs/${orgId}/projects`) });
export const useQueues = (orgId: string) =>
  useQuery({ queryKey: queryKeys.config.queues(orgId), queryFn: () => fetchJson<QueueItem[]>(`/api/orgs/${orgId}/queues`) });
export const usePools = (orgId: string) =>
  useQuery({ queryKey: queryKeys.config.pools(orgId), queryFn: () => fetchJson<PoolItem[]>(`/api/orgs/${orgId}/pools`) });

/** id → name, for showing names where the API gives ids. */
export function namesOf<T extends { id: string }>(items: readonly T[] | undefined, name: (item: T) => string): Map<string, string> {
  return new Map((items ?? []).map((item) => [item.id, name(item)]));
}
