"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
  /** Paths under this prefix count as this item (e.g. every /orgs/… page for "Overview"). */
  section: string;
}

/** The top navigation: only what the signed-in role may use, the current section marked. */
export function MainNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <>
      {items.map((item) => {
        const active = pathname === item.section || pathname.startsWith(`${item.section}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2 py-1 text-sm ${active ? "font-semibold text-indigo-700 dark:text-indigo-300" : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-white"}`}
          >
            {item.label}
          </Link>
        );
      })}
    </>
  );
}
