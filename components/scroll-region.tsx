import type { ReactNode } from "react";

// A table's frame: on a narrow screen the table scrolls sideways inside it, not the page. It
// is a labelled region reachable with the keyboard (Tab, then the arrow keys), since a table
// of plain text has nothing else to focus. `relative` keeps the table's visually hidden
// caption inside the frame, so it cannot widen the page.

export function ScrollRegion({ label, className = "", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`relative overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}>
      {children}
    </div>
  );
}
