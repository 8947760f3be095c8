"use client";

import { KeyRulesPanel } from "./key-rules";
import { muted } from "./limit-parts";
import { OrgLimitsCard } from "./org-limits";
import { QueueLimits } from "./queue-limits";

/** An org's limits and admission (docs/limits.md): its own rate limit and backlog cap, its org-wide key rules, its queues' rate limits and key rules. Flows' are on each flow's page. */
export function LimitsPanel({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  return (
    <div className="space-y-4">
      <p className={`text-sm ${muted}`}>
        Rate limits cap how many executions start in a window; a backlog cap, how many may wait; key rules, how many of one key run at once. Each flow&apos;s are on its page.
        {!canEdit && " Only organization admins can change them."}
      </p>
      <OrgLimitsCard orgId={orgId} canEdit={canEdit} />
      <KeyRulesPanel orgId={orgId} scope="org" canAdmin={canEdit} headingLevel={3} title="Organization-wide key rules" />
      <QueueLimits orgId={orgId} canEdit={canEdit} />
    </div>
  );
}
