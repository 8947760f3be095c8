"use client";

import { describeWait } from "@/lib/executions/describe-wait";
import type { WaitReason } from "@/lib/contract/executions";

// A queued row's reason, under its state in the executions list and a flow's tab (the first
// reason explain gives; its page has them all). No reason: only its turn in fair order.

export function WaitingFor({ reason, queue }: { reason: WaitReason | null; queue: string }) {
  const text = reason ? describeWait([reason], { queue })[0] : "Its turn in fair order: it starts at a coming claim.";
  return <span data-testid="waiting-for" className="mt-1 block max-w-xs whitespace-normal text-xs text-zinc-600 dark:text-zinc-400">{text}</span>;
}
