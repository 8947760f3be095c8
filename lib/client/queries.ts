"use client";

import { keepPreviousData, useIsMutating, useQuery, type QueryKey } from "@tanstack/react-query";
import type { OrgAlerts, PlatformAlerts } from "../contract/alerts";
import type { AuditPage } from "../contract/audit";
import { liveStates } from "../contract/fields";
import type { ExecutionDetail, ExecutionPage } from "../contract/executions";
import type { Flow, FlowConcurrency } from "../contract/flows";
import type { KeyOverride, KeyRule, KeysView, OrgLimits } from "../contract/keys";
import type { OrgConcurrency, OrgConcurrencyRow, ParallelSettingDetails } from "../contract/orgs";
import type { PlatformSettings } from "../contract/platform";
import type { Pool, Project } from "../contract/projects";
import type { Queue } from "../contract/queues";
import type { WorkersOverview } from "../contract/workers";
import type { FlowSamples, PlatformSamples, Samples } from "../contract/samples";
import type { AuditFilters } from "./audit-filters";
import { fetchJson } from "./fetch-json";
import { CHART_REFRESH_MS, FALLBACK_POLL_MS, useFallbackPoll } from "./live";
import { queryKeys, type SampleWindow } from "./query-keys";
import { sinceFor } from "./sample-windows";

// Every query of the UI, one hook each, typed by the reply schemas (lib/contract): screens that
// show the same data share one query (and one request) through its key. Live queries poll only
// while the event stream is down (lib/client/live.tsx); charts refresh on a slow interval.

interface LiveOptions<T> {
  keepPrevious?: boolean;
  poll?: boolean;
  /** Data that changes no more: stop polling. */
  settled?: (data: T) => boolean;
  /** Refresh this often even while live: the data changes without an event (heartbeat ages). */
  everyMs?: number;
  /** False: do not fetch (yet). */
  enabled?: boolean;
}

function useLiveQuery<T>(queryKey: QueryKey, url: string, options: LiveOptions<T> = {}) {
  const fallback = useFallbackPoll(options.everyMs);
  return useQuery<T>({
    queryKey,
    queryFn: () => fetchJson<T>(url),
    refetchInterval: (query) => (options.poll === false || (query.state.data !== undefined && options.settled?.(query.state.data)) ? false : fallback),
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    enabled: options.enabled,
  });
}

/** Charts: their own slow interval, quicker while they have no point to show yet (samples come every 5 s). */
function useChartQuery<T extends { points: readonly unknown[] }>(queryKey: QueryKey, url: () => string) {
  return useQuery<T>({
    queryKey,
    queryFn: () => fetchJson<T>(url()),
    refetchInterval: (query) => (query.state.data && query.state.data.points.length > 0 ? CHART_REFRESH_MS : FALLBACK_POLL_MS),
    placeholderData: keepPreviousData,
    meta: { live: false },
  });
}

const since = (window: SampleWindow) => `since=${encodeURIComponent(sinceFor(window))}`;
const queryString = (filters: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(filters).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]]))).toString();

// ─── Platform ────────────────────────────────────────────────────────────────

export const usePlatformOrgs = () => useLiveQuery<OrgConcurrencyRow[]>(queryKeys.platform.orgs(), "/api/fair-scheduler/orgs");
export const usePlatformSettings = () => useLiveQuery<PlatformSettings>(queryKeys.platform.settings(), "/api/platform/settings");
export const usePlatformSamples = (window: SampleWindow) =>
  useChartQuery<PlatformSamples>(queryKeys.platform.samples(window), () => `/api/fair-scheduler/samples?${since(window)}`);

// ─── One org ─────────────────────────────────────────────────────────────────

export const useOrgConcurrency = (orgId: string) => useLiveQuery<OrgConcurrency>(queryKeys.org(orgId).concurrency(), `/api/fair-scheduler/orgs/${orgId}`);
export const useOrgSamples = (orgId: string, window: SampleWindow) =>
  useChartQuery<Samples>(queryKeys.org(orgId).samples(window), () => `/api/fair-scheduler/orgs/${orgId}/samples?${since(window)}`);
export const useFlows = (orgId: string) => useLiveQuery<Flow[]>(queryKeys.org(orgId).flows(), `/api/orgs/${orgId}/flows`);
export const useFlow = (orgId: string, flowId: string) => useLiveQuery<Flow>(queryKeys.org(orgId).flow(flowId), `/api/orgs/${orgId}/flows/${flowId}`);
/** Workers' last-seen ages change without a change event: refreshed every 10 s while live too. */
export const useWorkersOverview = (orgId: string) => useLiveQuery<WorkersOverview>(queryKeys.org(orgId).workers(), `/api/orgs/${orgId}/workers`, { everyMs: 10_000 });
export const useQueues = (orgId: string) => useLiveQuery<Queue[]>(queryKeys.org(orgId).queues(), `/api/orgs/${orgId}/queues`);
export const usePools = (orgId: string) => useLiveQuery<Pool[]>(queryKeys.org(orgId).pools(), `/api/orgs/${orgId}/pools`);

/** Key of a project edit in flight: the projects do not poll meanwhile, so the old values cannot come back before the server answers. */
export const projectEditKey = (orgId: string) => [...queryKeys.org(orgId).projects(), "edit"] as const;

export function useProjects(orgId: string) {
  const editing = useIsMutating({ mutationKey: projectEditKey(orgId) }) > 0;
  return useLiveQuery<Project[]>(queryKeys.org(orgId).projects(), `/api/orgs/${orgId}/projects`, { poll: !editing });
}

export const useParallelSettingDetails = (orgId: string) =>
  useLiveQuery<ParallelSettingDetails>(queryKeys.org(orgId).parallelSettings(), `/api/private/lifecycle_management/parallel_execution_settings:details?orgId=${orgId}`);

/** What setting max_paused_slots to `value` would do at once (docs/lifecycle.md); null asks nothing. */
export const usePausedSlotsPreview = (orgId: string, value: number | null) =>
  useLiveQuery<ParallelSettingDetails>(
    queryKeys.org(orgId).pausedSlotsPreview(value ?? -1),
    `/api/private/lifecycle_management/parallel_execution_settings:details?${queryString({ orgId, max_paused_slots: value ?? undefined })}`,
    { enabled: value !== null, keepPrevious: true },
  );

export const useExecutions = (orgId: string, filters: Record<string, string | undefined>) =>
  useLiveQuery<ExecutionPage>(queryKeys.org(orgId).executions(filters), `/api/executions?${queryString({ orgId, ...filters })}`, { keepPrevious: true });

/** A finished execution changes no more: it is not polled. */
export const useExecution = (orgId: string, id: string) =>
  useLiveQuery<ExecutionDetail>(queryKeys.org(orgId).execution(id), `/api/executions/${id}`, { settled: (e) => !liveStates.includes(e.state) });

// Heartbeats are not announced, so a flow's running executions are read again every 5 s: a
// heartbeat age (and "stuck") shown from a stale read would call a healthy execution stuck.
export const useFlowConcurrency = (orgId: string, flowId: string) =>
  useLiveQuery<FlowConcurrency>(queryKeys.org(orgId).flowConcurrency(flowId), `/api/flows/${flowId}/concurrency`, { everyMs: 5_000 });
export const useFlowSamples = (orgId: string, flowId: string, window: SampleWindow) =>
  useChartQuery<FlowSamples>(queryKeys.org(orgId).flowSamples(flowId, window), () => `/api/flows/${flowId}/samples?${since(window)}`);

// ─── Limits (docs/limits.md) ─────────────────────────────────────────────────

export const useOrgLimits = (orgId: string) => useLiveQuery<OrgLimits>(queryKeys.org(orgId).limits(), `/api/orgs/${orgId}/limits`);

/** The org's key rules, or those of one flow or queue. */
export function useKeyRules(orgId: string, filter: { flowId?: string; queueId?: string } = {}) {
  return useLiveQuery<KeyRule[]>(queryKeys.org(orgId).keyRules(filter), `/api/orgs/${orgId}/key-rules?${queryString(filter)}`);
}

/** A rule's busiest keys (top `limit`, server-side search and sort); the previous page stays on screen while another loads. */
export function useRuleKeys(orgId: string, ruleId: string, query: { search: string; sort: string; limit: number }) {
  return useLiveQuery<KeysView>(queryKeys.org(orgId).ruleKeys(ruleId, query), `/api/orgs/${orgId}/key-rules/${ruleId}/keys?${queryString(query)}`, { keepPrevious: true });
}

/** GET …/overrides (the contract exports no type of its own for this reply). */
export interface KeyOverrides { ruleId: string; items: KeyOverride[] }

export const useKeyOverrides = (orgId: string, ruleId: string) =>
  useLiveQuery<KeyOverrides>(queryKeys.org(orgId).keyOverrides(ruleId), `/api/orgs/${orgId}/key-rules/${ruleId}/overrides`);

// ─── Alerts (docs/operations.md, "Alerts") ───────────────────────────────────

/** An alert starts firing as time passes, with no change to announce it: read again every 15 s while live too. */
export const ALERTS_REFRESH_MS = 15_000;
export const useOrgAlerts = (orgId: string) => useLiveQuery<OrgAlerts>(queryKeys.org(orgId).alerts(), `/api/orgs/${orgId}/alerts`, { everyMs: ALERTS_REFRESH_MS });
export const usePlatformAlerts = () => useLiveQuery<PlatformAlerts>(queryKeys.platform.alerts(), "/api/alerts", { everyMs: ALERTS_REFRESH_MS });

// ─── Audit ───────────────────────────────────────────────────────────────────

export const AUDIT_PAGE_SIZE = 25;

/** One org's audit log, or every org's (platform admins) when orgId is absent; filtered, a page older than `before`. */
export function useAuditLog(orgId: string | undefined, filters: AuditFilters, before: number | undefined) {
  const query = { ...filters, before };
  const key = orgId ? queryKeys.org(orgId).audit(query) : queryKeys.platform.audit(query);
  return useLiveQuery<AuditPage>(key, `/api/audit?${queryString({ orgId, ...query, limit: AUDIT_PAGE_SIZE })}`, { keepPrevious: true });
}

/** id → name, for showing names where the API gives ids. */
export function namesOf<T extends { id: string }>(items: readonly T[] | undefined, name: (item: T) => string): Map<string, string> {
  return new Map((items ?? []).map((item) => [item.id, name(item)]));
}
