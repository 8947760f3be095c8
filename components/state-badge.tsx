const STYLES: Record<string, string> = {
  QUEUED: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100",
  RUNNING: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-100",
  PAUSED: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100",
  SUCCESS: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  FAILED: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  KILLED: "bg-rose-100 text-rose-900 dark:bg-rose-900/50 dark:text-rose-100",
  CANCELLED: "bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100",
};

/** An execution's state as a small coloured label (the word itself carries the meaning). */
export function StateBadge({ state }: { state: string }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${STYLES[state] ?? STYLES.CANCELLED}`}>{state}</span>;
}

export function StuckBadge({ title }: { title: string }) {
  return (
    <span title={title} className="ml-2 inline-block rounded-full bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">
      stuck
    </span>
  );
}

/** Run now by an admin, ignoring caps (docs/lifecycle.md, "Run now"). */
export function ForcedBadge({ forced }: { forced: { by: string; reason: string } }) {
  return (
    <span title={`Forced to run now by ${forced.by}: ${forced.reason}`} data-testid="forced-badge" className="ml-2 inline-block rounded-full bg-amber-700 px-2 py-0.5 text-xs font-semibold text-white">
      forced
    </span>
  );
}
