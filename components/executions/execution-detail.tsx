"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ForcedBadge, StateBadge } from "@/components/state-badge";
import { ResumeButton } from "@/components/executions/resume-button";
import { RerunButton } from "@/components/executions/rerun-button";
import { useDeleteExecution, useForceExecution, useKillExecutions } from "@/lib/client/execution-actions";
import { ApiError } from "@/lib/client/fetch-json";
import { formatDuration, formatTime, shortId } from "@/lib/client/format";
import { scheduledText, startsIn } from "@/lib/client/limits-view";
import { namesOf, useExecution, useFlows, useKeyRules, usePools, useProjects, useQueues } from "@/lib/client/queries";
import { useNow } from "@/lib/client/use-now";
import { describeWait } from "@/lib/executions/describe-wait";
import { liveStates } from "@/lib/contract/fields";

/** One execution: what it is, why it waits (while queued), its transition timeline; anyone who sees it can rerun a finished one, admins can kill or delete it. */
export function ExecutionDetail({ orgId, id, canAdmin }: { orgId: string; id: string; canAdmin: boolean }) {
  const router = useRouter();
  const now = useNow();
  const { data, error, isPending } = useExecution(orgId, id);
  const flows = useFlows(orgId);
  const projects = useProjects(orgId);
  const pools = usePools(orgId);
  const rules = useKeyRules(orgId);
  const queues = useQueues(orgId);
  const kill = useKillExecutions(orgId);
  const remove = useDeleteExecution(orgId);
  const force = useForceExecution(orgId);
  const [confirm, setConfirm] = useState<"kill" | "delete" | "force" | null>(null);
  const [forceReason, setForceReason] = useState("");

  if (isPending) return <div role="status" aria-label="Loading execution" className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
  if (error || data.orgId !== orgId) {
    const missing = !error || (error instanceof ApiError && error.status === 404);
    return (
      <div role="alert" className="rounded-xl border border-zinc-200 bg-white p-6 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        {missing ? "This execution does not exist in this organization (it may have been deleted)." : `Could not load this execution: ${error.message}`}{" "}
        <Link href={`/orgs/${orgId}/executions`} className="text-indigo-700 underline dark:text-indigo-300">Back to executions</Link>
      </div>
    );
  }

  const live = liveStates.includes(data.state);
  const flowName = data.flowId ? flows.data?.find((f) => f.id === data.flowId)?.name : undefined;
  const projectName = projects.data?.find((p) => p.id === data.projectId)?.name;
  const waiting = describeWait(data.explain, {
    flows: namesOf(flows.data, (f) => f.name),
    projects: namesOf(projects.data, (p) => p.name),
    pools: namesOf(pools.data, (p) => p.key),
    queue: data.queue,
  }, new Date(now));
  const ruleOf = new Map((rules.data ?? []).map((r) => [r.id, r]));
  const scheduled = scheduledText(data, now);
  const action = confirm === "kill" ? kill : confirm === "force" ? force : remove;
  const muted = "text-zinc-500 dark:text-zinc-400";
  const card = "rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900";
  const lastWorker = data.transitions.findLast((t) => t.workerName)?.workerName ?? null;
  const facts: [string, ReactNode][] = [
    ["Flow", data.flowId ? <Link href={`/orgs/${orgId}/flows/${data.flowId}`} className="text-indigo-700 underline dark:text-indigo-300">{flowName ?? shortId(data.flowId)}</Link> : <span className={muted}>none</span>],
    ["Project", projectName ?? "…"],
    ["Queue", data.queue],
    ["Kind", data.kind.replace("_", " ")],
    ["Priority", String(data.priority)],
    ["Attempts", `${data.attempts} of ${data.maxAttempts}${data.retry ? " (retries with backoff)" : ""}`],
    // A finished run holds no lease any more: the last worker its history names ran it.
    data.worker || !lastWorker ? ["Worker", data.worker?.name ?? <span className={muted}>none</span>] : ["Ran on", lastWorker],
    ["Submitted by", data.submittedBy ?? <span className={muted}>unknown</span>],
    ["Submitted", formatTime(data.createdAt, now)],
    ["Started", formatTime(data.startedAt, now)],
    data.finishedAt
      ? ["Finished", formatTime(data.finishedAt, now)]
      : data.state === "PAUSED" && data.pausedAt
        ? ["Paused for", formatDuration(now - Date.parse(data.pausedAt))]
        : data.startedAt
        ? ["Running for", formatDuration(now - Date.parse(data.startedAt))]
        : ["Waiting for", formatDuration(now - Date.parse(data.createdAt))],
  ];
  if (data.startAfter) {
    facts.push([
      data.scheduled ? "Starts" : "Start after",
      <span key="starts" data-testid="starts-at">
        <time dateTime={data.startAfter}>{formatTime(data.startAfter, now)}</time>
        {data.scheduled && <span className="block text-xs text-zinc-600 dark:text-zinc-400">{startsIn(data.startAfter, now) === "now" ? "starting now" : `starts ${startsIn(data.startAfter, now)}`}</span>}
      </span>,
    ]);
  }
  if (data.rerunOf) {
    facts.push(["Rerun of", <Link key="rerun-of" href={`/orgs/${orgId}/executions/${data.rerunOf}`} className="font-mono text-indigo-700 underline dark:text-indigo-300">{shortId(data.rerunOf)}</Link>]);
  }
  // Admission v2 (docs/limits.md): the keys it is limited by, and how its submission was deduplicated.
  const keyFacts: [string, ReactNode][] = [];
  if (data.concurrencyKey) keyFacts.push(["Concurrency key", <span key="ck" className="font-mono">{data.concurrencyKey}</span>]);
  for (const k of data.keys) {
    const rule = ruleOf.get(k.ruleId);
    const over = rule?.flowId ? namesOf(flows.data, (f) => f.name).get(rule.flowId) : rule?.queueId ? namesOf(queues.data, (q) => q.name).get(rule.queueId) : undefined;
    const where = rule?.flowId ? `/orgs/${orgId}/flows/${rule.flowId}` : `/orgs/${orgId}/settings`;
    keyFacts.push([
      `Key of rule ${rule?.name ?? shortId(k.ruleId)}`,
      <span key={k.ruleId}>
        <span className="font-mono">{k.value}</span>
        {rule && <Link href={where} className="ml-2 text-xs text-indigo-700 underline dark:text-indigo-300">{over ? `keys of ${rule.flowId ? "flow" : "queue"} ${over}` : "keys view"}</Link>}
      </span>,
    ]);
  }
  if (data.idempotencyKey) keyFacts.push(["Idempotency key", <span key="ik" className="break-all font-mono">{data.idempotencyKey}</span>]);
  if (data.debounceKey) keyFacts.push(["Debounce key", <span key="dk" className="break-all font-mono">{data.debounceKey}</span>]);

  return (
    <div className="space-y-6">
      <section aria-labelledby="execution-heading" className={card}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="execution-heading" className="flex items-center gap-3 text-lg font-semibold">
            <span>Execution <span className="font-mono">{shortId(data.id)}</span></span>
            <StateBadge state={data.state} />
            {data.forced && <ForcedBadge forced={data.forced} />}
            {scheduled && <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400" data-testid="scheduled">{scheduled}</span>}
          </h2>
          <div className="flex gap-2">
            {!live && <RerunButton orgId={orgId} id={data.id} />}
            {canAdmin && data.state === "PAUSED" && data.pause && <ResumeButton orgId={orgId} id={data.id} waitingFor={data.pause.waitingFor} />}
            {canAdmin && data.state === "QUEUED" && !data.forced && !data.holdsSlot && (
              <button type="button" onClick={() => setConfirm("force")} className="rounded-md border border-amber-600 px-3 py-1.5 text-sm font-medium text-amber-900 hover:bg-amber-50 dark:border-amber-500 dark:text-amber-200 dark:hover:bg-amber-950/50">Run now</button>
            )}
            {canAdmin && live && (
              <button type="button" onClick={() => setConfirm("kill")} className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800">Kill</button>
            )}
            {canAdmin && (
              <button type="button" onClick={() => setConfirm("delete")} className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950/50">Delete</button>
            )}
          </div>
        </div>
        <p className={`mt-1 font-mono text-xs ${muted}`}>{data.id}</p>
        {data.reason && <p className="mt-3 text-sm">Reason: {data.reason}</p>}
        {data.forced && (
          <p className="mt-3 text-sm" data-testid="forced">
            Forced to run now, ignoring caps, by {data.forced.by} <time dateTime={data.forced.at}>{formatTime(data.forced.at, now)}</time>: {data.forced.reason}
          </p>
        )}
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className={`text-xs font-medium uppercase tracking-wide ${muted}`}>{label}</dt>
              <dd className="mt-0.5 text-sm tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
        {keyFacts.length > 0 && (
          <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 border-t border-zinc-100 pt-4 sm:grid-cols-2 dark:border-zinc-800" data-testid="execution-keys">
            {keyFacts.map(([label, value], i) => (
              <div key={`${i}-${label}`} className="min-w-0">
                <dt className={`text-xs font-medium uppercase tracking-wide ${muted}`}>{label}</dt>
                <dd className="mt-0.5 text-sm">{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      {(data.state === "QUEUED" || data.state === "PAUSED") && (
        <section aria-labelledby="why-heading" className="rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/40">
          <h2 id="why-heading" className="text-base font-semibold">{data.state === "PAUSED" ? "What it waits for" : "Why it waits"}</h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" data-testid="why-it-waits">
            {waiting.map((line) => <li key={line}>{line}</li>)}
          </ul>
        </section>
      )}

      <section aria-labelledby="timeline-heading" className={card}>
        <h2 id="timeline-heading" className="text-base font-semibold">Timeline</h2>
        <ol className="mt-3 space-y-0" data-testid="timeline">
          {data.transitions.map((t, i) => (
            <li key={i} className="relative border-l-2 border-zinc-200 pb-4 pl-5 last:pb-0 dark:border-zinc-700">
              <span aria-hidden="true" className="absolute -left-[7px] top-1 h-3 w-3 rounded-full border-2 border-white bg-indigo-500 dark:border-zinc-900" />
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <StateBadge state={t.to} />
                {t.from && <span className={`text-xs ${muted}`}>from {t.from}</span>}
                <time dateTime={t.at} className={`text-xs tabular-nums ${muted}`}>{formatTime(t.at, now)}</time>
              </div>
              <p className="mt-1 text-sm">
                {t.actor ?? <span className={muted}>system</span>}
                {t.workerName && <span data-testid="timeline-worker"> ({t.workerName})</span>}
                {t.reason && <span className={muted}> · {t.reason}</span>}
              </p>
            </li>
          ))}
        </ol>
      </section>

      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "kill" ? `Kill execution ${shortId(data.id)}?` : confirm === "force" ? `Run execution ${shortId(data.id)} now?` : `Delete execution ${shortId(data.id)}?`}
        confirmLabel={confirm === "kill" ? "Kill execution" : confirm === "force" ? "Run now, ignoring caps" : "Delete execution"}
        pending={action.isPending}
        error={action.error?.message}
        onClose={() => { setConfirm(null); kill.reset(); remove.reset(); force.reset(); }}
        onConfirm={() => {
          if (confirm === "kill") kill.mutate([data.id], { onSuccess: () => setConfirm(null) });
          else if (confirm === "force") force.mutate({ id: data.id, reason: forceReason }, { onSuccess: () => { setConfirm(null); setForceReason(""); } });
          else remove.mutate(data.id, { onSuccess: () => router.push(`/orgs/${orgId}/executions`) });
        }}
      >
        {confirm === "kill" && "Its slot is freed at once and its worker stops it at the next heartbeat; its child executions are killed too. This cannot be undone."}
        {confirm === "delete" && `The execution and its history are removed for good${live ? "; it is killed first, with its child executions" : ""}.`}
        {confirm === "force" && (
          <>
            It starts at the next claim of a worker serving queue {data.queue}, ignoring every cap: the scopes it is in go over their limits and other work waits until it finishes. Who and why go into its history and the audit log.
            <label htmlFor="force-reason" className="mt-3 block font-medium text-zinc-900 dark:text-zinc-100">Reason (required)</label>
            <textarea id="force-reason" value={forceReason} onChange={(e) => setForceReason(e.target.value)} rows={2} maxLength={500} className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950" />
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
