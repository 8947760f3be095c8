import { formatTime } from "./format";
import type { BulkFilter } from "./execution-actions";
import type { BulkKilled, BulkRerun } from "../contract/executions";
import { bulkCaps } from "../contract/executions";

// The words of a bulk kill or rerun's confirmation and outcome (components/executions/bulk-actions.tsx).

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The filter in words: "in state FAILED, of flow etl, submitted before 4 Dec 2026, 10:00". */
export function describeFilter(filter: BulkFilter, names: { flow: (id: string) => string; project: (id: string) => string }): string {
  const parts: string[] = [];
  if (filter.state) parts.push(`in state ${filter.state}`);
  if (filter.flowId) parts.push(`of flow ${names.flow(filter.flowId)}`);
  if (filter.projectId) parts.push(`in project ${names.project(filter.projectId)}`);
  if (filter.queue) parts.push(`on queue ${filter.queue}`);
  if (filter.from) parts.push(`submitted from ${formatTime(filter.from)}`);
  if (filter.to) parts.push(`submitted before ${formatTime(filter.to)}`);
  return parts.length ? parts.join(", ") : "with no filter: every one of this organization";
}

/** The confirmation's question and its button, from the dry run's count. */
export function confirmation(action: "kill" | "rerun", matched: number): { question: string; button: string; capNote: string | null } {
  const cap = bulkCaps[action];
  const acted = Math.min(matched, cap);
  const what = action === "kill" ? "live execution" : "finished execution";
  const capNote = matched > cap ? `Only the oldest ${cap.toLocaleString("en")} are ${action === "kill" ? "killed" : "rerun"} now; do it again for the rest.` : null;
  if (matched === 0) return { question: `No ${what} matches.`, button: action === "kill" ? "Kill" : "Rerun", capNote };
  return {
    question: `${plural(matched, what)} ${matched === 1 ? "matches" : "match"}`,
    button: `${action === "kill" ? "Kill" : "Rerun"} ${acted.toLocaleString("en")}`,
    capNote,
  };
}

/** What was done, in a sentence. */
export function outcome(result: BulkKilled | BulkRerun): string {
  const left = result.remaining > 0 ? ` ${plural(result.remaining, "match", "matches")} left.` : "";
  if ("killed" in result) return `Killed ${plural(result.killed, "execution")}.${left}`;
  const skipped = result.notRerun.map((n) => `${n.count} not rerun (${n.code.replaceAll("_", " ")})`);
  const stopped = result.stoppedBy === "backlog_full" ? " Stopped at the backlog cap." : "";
  return `Rerun ${plural(result.rerun, "execution")}${skipped.length ? `; ${skipped.join(", ")}` : ""}.${stopped}${left}`;
}
