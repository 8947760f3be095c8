"use client";

import { usePlatformOrgs, usePlatformSettings } from "@/lib/client/queries";
import { PlatformSettingsForm } from "./platform-settings-form";
import { Skeleton } from "./skeleton";

/** Platform admins: how much of the global capacity is in use, and how much waits; the platform settings to edit. */
export function PlatformCapacity() {
  // The same query (and key) as the org table: one request serves both.
  const orgs = usePlatformOrgs();
  const settings = usePlatformSettings();

  const error = orgs.error ?? settings.error;
  if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load platform capacity: {error.message}</p>;
  if (!orgs.data || !settings.data) return <Skeleton label="Loading platform capacity" className="h-28 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;

  const inFlight = orgs.data.reduce((n, o) => n + o.currentInFlight, 0);
  const queued = orgs.data.reduce((n, o) => n + o.queued, 0);
  const capacity = settings.data.globalCapacity;
  const share = capacity === 0 ? 0 : Math.min(1, inFlight / capacity);
  return (
    <section aria-labelledby="capacity-heading" className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="capacity-heading" className="text-lg font-semibold">Platform capacity</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {queued} queued across {orgs.data.length} organization{orgs.data.length === 1 ? "" : "s"}
        </p>
      </div>
      <p className="mt-3 text-3xl font-semibold tabular-nums" data-testid="platform-in-flight">
        {inFlight}
        <span className="text-base font-normal text-zinc-600 dark:text-zinc-400"> of {capacity === 0 ? "unlimited" : capacity} slots in flight</span>
      </p>
      {capacity > 0 && (
        <div
          role="progressbar"
          aria-label="Platform in-flight of global capacity"
          aria-valuemin={0}
          aria-valuemax={capacity}
          aria-valuenow={Math.min(inFlight, capacity)}
          aria-valuetext={`${inFlight} of ${capacity}`}
          className="mt-3 h-2.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        >
          <div className={`h-full rounded-full ${share >= 1 ? "bg-amber-500" : "bg-indigo-600 dark:bg-indigo-500"}`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        {capacity === 0 ? "No global capacity is set: only each organization's own caps apply." : "Global capacity caps executions in flight across every organization; when it is full, work waits even where an organization has room."}
      </p>
      <PlatformSettingsForm settings={settings.data} />
    </section>
  );
}
