"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface OrgTab {
  href: string;
  label: string;
}

/** The tab bar of an org's screens; the current one is marked for assistive technology too. */
export function OrgTabs({ tabs }: { tabs: OrgTab[] }) {
  const pathname = usePathname();
  // The longest matching prefix wins, so /orgs/x/flows/y highlights "Flows", not "Overview".
  const current = tabs.filter((t) => pathname === t.href || pathname.startsWith(`${t.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <div className="relative">
      <nav aria-label="Organization" className="mt-3 flex gap-1 overflow-x-auto border-b border-zinc-200 pr-6 dark:border-zinc-800">
        {tabs.map((t) => {
          const active = t === current;
          return (
            <Link
              key={t.href}
              href={t.href}
              aria-current={active ? "page" : undefined}
              className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"}`}
            >
              {t.label}
            </Link>
          );
        })}
      </nav>
      {/* On a phone the tabs scroll sideways: a fade at the edge says there are more. */}
      <div aria-hidden="true" className="pointer-events-none absolute bottom-px right-0 top-0 w-8 bg-gradient-to-l from-zinc-50 sm:hidden dark:from-zinc-950" />
    </div>
  );
}
