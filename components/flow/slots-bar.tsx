/** Active vs total slots of a flow, as a progress bar that assistive technology reads as such. */
export function SlotsBar({ active, total, queued }: { active: number; total: number | null; queued: number }) {
  if (total === null) {
    return (
      <p className="text-sm">
        <span className="text-2xl font-semibold tabular-nums">{active}</span> running · no limit · <span className="tabular-nums">{queued}</span> queued
      </p>
    );
  }
  const share = Math.min(1, total === 0 ? 1 : active / total);
  const full = active >= total;
  return (
    <div>
      <div className="flex items-baseline justify-between text-sm">
        <p id="slots-label">
          <span className="text-2xl font-semibold tabular-nums" data-testid="slots-text">{active} / {total}</span> slots in use
          {active > total && <span className="ml-2 text-amber-800 dark:text-amber-200">(over the limit until some finish)</span>}
        </p>
        <p className="tabular-nums text-zinc-600 dark:text-zinc-400"><span data-testid="queued-count">{queued}</span> queued</p>
      </div>
      <div
        role="progressbar"
        aria-labelledby="slots-label"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={active}
        aria-valuetext={`${active} of ${total} slots in use`}
        className="mt-2 h-3 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div className={`h-full rounded-full transition-[width] duration-500 ${full ? "bg-amber-500" : "bg-indigo-600 dark:bg-indigo-400"}`} style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}
