// Every endpoint of the API: its path (OpenAPI style, `{param}` for a folder `[param]`) and its
// route file, the single definition of what it does and who may call it. The server mounts
// these (lib/server/api-app.ts), the OpenAPI document describes them (lib/api/openapi.ts), and
// the tests walk them (tests/integration/api-authorization.test.ts). A test checks that every
// route file under app/api is listed here, under the path its folders spell.
import * as alerts from "./alerts/route";
import * as audit from "./audit/route";
import * as authAll from "./auth/[...all]/route";
import * as embedProvision from "./embed/provision/route";
import * as events from "./events/route";
import * as executions from "./executions/route";
import * as executionsId from "./executions/[id]/route";
import * as executionsIdKill from "./executions/[id]/kill/route";
import * as executionsIdRerun from "./executions/[id]/rerun/route";
import * as executionsIdForce from "./executions/[id]/force/route";
import * as executionsIdResume from "./executions/[id]/resume/route";
import * as fairSchedulerOrgs from "./fair-scheduler/orgs/route";
import * as fairSchedulerOrgsOrgId from "./fair-scheduler/orgs/[orgId]/route";
import * as fairSchedulerOrgsOrgIdSamples from "./fair-scheduler/orgs/[orgId]/samples/route";
import * as fairSchedulerSamples from "./fair-scheduler/samples/route";
import * as flowsFlowIdConcurrency from "./flows/[flowId]/concurrency/route";
import * as flowsFlowIdSamples from "./flows/[flowId]/samples/route";
import * as health from "./health/route";
import * as metrics from "./metrics/route";
import * as openapijson from "./openapi.json/route";
import * as orgs from "./orgs/route";
import * as orgsOrgId from "./orgs/[orgId]/route";
import * as orgsOrgIdAlerts from "./orgs/[orgId]/alerts/route";
import * as orgsOrgIdFlows from "./orgs/[orgId]/flows/route";
import * as orgsOrgIdFlowsFlowId from "./orgs/[orgId]/flows/[flowId]/route";
import * as orgsOrgIdKeyRules from "./orgs/[orgId]/key-rules/route";
import * as orgsOrgIdKeyRulesRuleId from "./orgs/[orgId]/key-rules/[ruleId]/route";
import * as orgsOrgIdKeyRulesRuleIdKeys from "./orgs/[orgId]/key-rules/[ruleId]/keys/route";
import * as orgsOrgIdKeyRulesRuleIdOverrides from "./orgs/[orgId]/key-rules/[ruleId]/overrides/route";
import * as orgsOrgIdExecutionsKill from "./orgs/[orgId]/executions/kill/route";
import * as orgsOrgIdExecutionsRerun from "./orgs/[orgId]/executions/rerun/route";
import * as orgsOrgIdLimits from "./orgs/[orgId]/limits/route";
import * as orgsOrgIdMembers from "./orgs/[orgId]/members/route";
import * as orgsOrgIdMembersUserId from "./orgs/[orgId]/members/[userId]/route";
import * as orgsOrgIdPools from "./orgs/[orgId]/pools/route";
import * as orgsOrgIdPoolsPoolId from "./orgs/[orgId]/pools/[poolId]/route";
import * as orgsOrgIdProjects from "./orgs/[orgId]/projects/route";
import * as orgsOrgIdProjectsProjectId from "./orgs/[orgId]/projects/[projectId]/route";
import * as orgsOrgIdQueues from "./orgs/[orgId]/queues/route";
import * as orgsOrgIdQueuesQueueId from "./orgs/[orgId]/queues/[queueId]/route";
import * as orgsOrgIdTokens from "./orgs/[orgId]/tokens/route";
import * as orgsOrgIdTokensTokenId from "./orgs/[orgId]/tokens/[tokenId]/route";
import * as orgsOrgIdWorkers from "./orgs/[orgId]/workers/route";
import * as orgsOrgIdTriggers from "./orgs/[orgId]/triggers/route";
import * as orgsOrgIdTriggersTriggerId from "./orgs/[orgId]/triggers/[triggerId]/route";
import * as platformSettings from "./platform/settings/route";
import * as platformTokens from "./platform/tokens/route";
import * as platformTokensTokenId from "./platform/tokens/[tokenId]/route";
import * as privateLifecycleManagementParallelExecutionSettings from "./private/lifecycle_management/parallel_execution_settings/route";
import * as privateLifecycleManagementParallelExecutionSettingsdetails from "./private/lifecycle_management/parallel_execution_settings:details/route";
import * as workersClaim from "./workers/claim/route";
import * as workersComplete from "./workers/complete/route";
import * as workersHeartbeat from "./workers/heartbeat/route";
import * as workersPause from "./workers/pause/route";
import * as workersRegister from "./workers/register/route";
import * as workersRelease from "./workers/release/route";
import * as workersResume from "./workers/resume/route";

export interface ApiRoute {
  path: string;
  module: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", (request: Request, context?: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>>>;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { path: "/api/alerts", module: alerts },
  { path: "/api/audit", module: audit },
  { path: "/api/auth/{...all}", module: authAll },
  { path: "/api/embed/provision", module: embedProvision },
  { path: "/api/events", module: events },
  { path: "/api/executions", module: executions },
  { path: "/api/executions/{id}", module: executionsId },
  { path: "/api/executions/{id}/kill", module: executionsIdKill },
  { path: "/api/executions/{id}/rerun", module: executionsIdRerun },
  { path: "/api/executions/{id}/force", module: executionsIdForce },
  { path: "/api/executions/{id}/resume", module: executionsIdResume },
  { path: "/api/fair-scheduler/orgs", module: fairSchedulerOrgs },
  { path: "/api/fair-scheduler/orgs/{orgId}", module: fairSchedulerOrgsOrgId },
  { path: "/api/fair-scheduler/orgs/{orgId}/samples", module: fairSchedulerOrgsOrgIdSamples },
  { path: "/api/fair-scheduler/samples", module: fairSchedulerSamples },
  { path: "/api/flows/{flowId}/concurrency", module: flowsFlowIdConcurrency },
  { path: "/api/flows/{flowId}/samples", module: flowsFlowIdSamples },
  { path: "/api/health", module: health },
  { path: "/api/metrics", module: metrics },
  { path: "/api/openapi.json", module: openapijson },
  { path: "/api/orgs", module: orgs },
  { path: "/api/orgs/{orgId}", module: orgsOrgId },
  { path: "/api/orgs/{orgId}/alerts", module: orgsOrgIdAlerts },
  { path: "/api/orgs/{orgId}/flows", module: orgsOrgIdFlows },
  { path: "/api/orgs/{orgId}/flows/{flowId}", module: orgsOrgIdFlowsFlowId },
  { path: "/api/orgs/{orgId}/key-rules", module: orgsOrgIdKeyRules },
  { path: "/api/orgs/{orgId}/key-rules/{ruleId}", module: orgsOrgIdKeyRulesRuleId },
  { path: "/api/orgs/{orgId}/key-rules/{ruleId}/keys", module: orgsOrgIdKeyRulesRuleIdKeys },
  { path: "/api/orgs/{orgId}/key-rules/{ruleId}/overrides", module: orgsOrgIdKeyRulesRuleIdOverrides },
  { path: "/api/orgs/{orgId}/executions/kill", module: orgsOrgIdExecutionsKill },
  { path: "/api/orgs/{orgId}/executions/rerun", module: orgsOrgIdExecutionsRerun },
  { path: "/api/orgs/{orgId}/limits", module: orgsOrgIdLimits },
  { path: "/api/orgs/{orgId}/members", module: orgsOrgIdMembers },
  { path: "/api/orgs/{orgId}/members/{userId}", module: orgsOrgIdMembersUserId },
  { path: "/api/orgs/{orgId}/pools", module: orgsOrgIdPools },
  { path: "/api/orgs/{orgId}/pools/{poolId}", module: orgsOrgIdPoolsPoolId },
  { path: "/api/orgs/{orgId}/projects", module: orgsOrgIdProjects },
  { path: "/api/orgs/{orgId}/projects/{projectId}", module: orgsOrgIdProjectsProjectId },
  { path: "/api/orgs/{orgId}/queues", module: orgsOrgIdQueues },
  { path: "/api/orgs/{orgId}/queues/{queueId}", module: orgsOrgIdQueuesQueueId },
  { path: "/api/orgs/{orgId}/tokens", module: orgsOrgIdTokens },
  { path: "/api/orgs/{orgId}/tokens/{tokenId}", module: orgsOrgIdTokensTokenId },
  { path: "/api/orgs/{orgId}/triggers", module: orgsOrgIdTriggers },
  { path: "/api/orgs/{orgId}/workers", module: orgsOrgIdWorkers },
  { path: "/api/orgs/{orgId}/triggers/{triggerId}", module: orgsOrgIdTriggersTriggerId },
  { path: "/api/platform/settings", module: platformSettings },
  { path: "/api/platform/tokens", module: platformTokens },
  { path: "/api/platform/tokens/{tokenId}", module: platformTokensTokenId },
  { path: "/api/private/lifecycle_management/parallel_execution_settings", module: privateLifecycleManagementParallelExecutionSettings },
  { path: "/api/private/lifecycle_management/parallel_execution_settings:details", module: privateLifecycleManagementParallelExecutionSettingsdetails },
  { path: "/api/workers/claim", module: workersClaim },
  { path: "/api/workers/complete", module: workersComplete },
  { path: "/api/workers/heartbeat", module: workersHeartbeat },
  { path: "/api/workers/pause", module: workersPause },
  { path: "/api/workers/register", module: workersRegister },
  { path: "/api/workers/release", module: workersRelease },
  { path: "/api/workers/resume", module: workersResume },
];
