"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { formatCap, describeProjectLimit, parseLimitInput } from "@/lib/client/limits";
import { usePools, useProjects } from "@/lib/client/queries";
import { useUpdateProject } from "@/lib/client/use-project-settings";
import type { Pool, Project } from "@/lib/contract/projects";

// Project settings ("Max Concurrent Jobs"): each project's own
// limit or the platform default it falls back to, its in-flight work, and its shared pool's
// usage. Org admins edit the limit and the pool; members read.

export function ProjectSettings({ orgId, canEdit }: { orgId: string; canEdit: boolean }) {
  const projects = useProjects(orgId);
  const pools = usePools(orgId);
  if (!projects.data || !pools.data) {
    const error = projects.error ?? pools.error;
    if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load projects: {error.message}</p>;
    return <div className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" aria-label="Loading projects" />;
  }
  const platformDefault = projects.data[0]?.platformDefaultConcurrentJobs;
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Max Concurrent Jobs caps how many of a project&apos;s executions run at once; the rest wait in the queue, none is dropped.
        {platformDefault !== undefined && <> Projects without their own value use the platform default ({formatCap(platformDefault).toLowerCase()}).</>}
        {" "}Projects in a pool also share the pool&apos;s limit.
        {!canEdit && " Only organization admins can change these settings."}
      </p>
      {projects.data.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">This organization has no projects yet.</p>}
      <ul className="space-y-4">
        {projects.data.map((p) => <ProjectCard key={p.id} orgId={orgId} project={p} pools={pools.data} canEdit={canEdit} />)}
      </ul>
    </div>
  );
}

function ProjectCard({ orgId, project, pools, canEdit }: { orgId: string; project: Project; pools: Pool[]; canEdit: boolean }) {
  const update = useUpdateProject(orgId);
  const pool = pools.find((p) => p.id === project.poolId);
  const headingId = `project-${project.id}`;
  return (
    <li aria-labelledby={headingId} data-testid={`project-${project.name}`} className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h3 id={headingId} className="text-base font-semibold">{project.name}</h3>
      <dl className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label="Max Concurrent Jobs" testId="max-concurrent-jobs">{describeProjectLimit(project.maxConcurrentJobs, project.platformDefaultConcurrentJobs)}</Stat>
        <Stat label="In flight" testId="in-flight">
          {project.effectiveMaxConcurrentJobs === 0 ? `${project.inFlight} (no limit)` : `${project.inFlight} of ${project.effectiveMaxConcurrentJobs}`}
          {project.queued > 0 && <span className="text-zinc-500 dark:text-zinc-400"> · {project.queued} queued</span>}
        </Stat>
        <Stat label="Pool" testId="pool">
          {pool ? <PoolUsage pool={pool} projectId={project.id} /> : "No pool"}
        </Stat>
      </dl>
      {canEdit && (
        <ProjectForm
          // New server values (saved, rolled back, or edited elsewhere) reset the fields.
          key={`${project.maxConcurrentJobs}:${project.poolId}`}
          project={project}
          pools={pools}
          pending={update.isPending}
          onSave={(edit) => update.mutate({ projectId: project.id, ...edit })}
        />
      )}
      {update.isError && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          Not saved: {update.error.message}
        </p>
      )}
      {update.isSuccess && <p role="status" className="mt-3 text-sm text-emerald-700 dark:text-emerald-300">Saved.</p>}
    </li>
  );
}

function Stat({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-sm tabular-nums" data-testid={testId}>{children}</dd>
    </div>
  );
}

function PoolUsage({ pool, projectId }: { pool: Pool; projectId: string }) {
  const others = pool.projects.filter((p) => p.id !== projectId).map((p) => p.name);
  const percent = Math.min(100, Math.round((pool.inFlight / pool.limit) * 100));
  return (
    <>
      <span className="font-medium">{pool.key}</span>: {pool.inFlight} of {pool.limit} in flight
      <span className="mt-1 block h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700" aria-hidden="true">
        <span className={`block h-full rounded-full ${pool.inFlight >= pool.limit ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${percent}%` }} />
      </span>
      <span className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400">{others.length > 0 ? `Shared with ${others.join(", ")}` : "Only this project"}</span>
    </>
  );
}

const inputClass =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";

function ProjectForm({ project, pools, pending, onSave }: {
  project: Project;
  pools: Pool[];
  pending: boolean;
  onSave: (edit: { maxConcurrentJobs: number | null; poolId: string | null }) => void;
}) {
  const [limit, setLimit] = useState(project.maxConcurrentJobs === null ? "" : String(project.maxConcurrentJobs));
  const [poolId, setPoolId] = useState(project.poolId ?? "");
  const [invalid, setInvalid] = useState<string | null>(null);
  const ids = { limit: `limit-${project.id}`, hint: `limit-hint-${project.id}`, error: `limit-error-${project.id}`, pool: `pool-${project.id}` };
  const defaultText = describeProjectLimit(null, project.platformDefaultConcurrentJobs);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseLimitInput(limit, { min: 0, emptyAllowed: true });
    if (!parsed.ok) {
      setInvalid(parsed.message);
      return;
    }
    setInvalid(null);
    onSave({ maxConcurrentJobs: parsed.value, poolId: poolId === "" ? null : poolId });
  }

  return (
    <form onSubmit={submit} noValidate className="mt-4 grid grid-cols-1 items-start gap-4 border-t border-zinc-100 pt-4 sm:grid-cols-[minmax(0,16rem)_minmax(0,20rem)_auto] dark:border-zinc-800">
      <div>
        <label htmlFor={ids.limit} className="block text-sm font-medium">Max Concurrent Jobs</label>
        <input
          id={ids.limit}
          type="text"
          inputMode="numeric"
          min={0}
          step={1}
          value={limit}
          placeholder={defaultText}
          onChange={(e) => setLimit(e.target.value)}
          aria-invalid={invalid !== null}
          aria-describedby={invalid ? `${ids.error} ${ids.hint}` : ids.hint}
          className={inputClass}
        />
        <p id={ids.hint} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">Empty: {defaultText.toLowerCase()}. 0: no limit.</p>
        {invalid && <p id={ids.error} role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">{invalid}</p>}
      </div>
      <div>
        <label htmlFor={ids.pool} className="block text-sm font-medium">Pool</label>
        <select id={ids.pool} value={poolId} onChange={(e) => setPoolId(e.target.value)} className={inputClass}>
          <option value="">No pool</option>
          {pools.map((p) => <option key={p.id} value={p.id}>{p.key} (limit {p.limit})</option>)}
        </select>
      </div>
      <button type="submit" disabled={pending} className="min-w-24 self-end justify-self-start rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60 sm:mb-5">
        {pending ? "Saving…" : "Save"}
        <span className="sr-only"> {project.name}</span>
      </button>
    </form>
  );
}
