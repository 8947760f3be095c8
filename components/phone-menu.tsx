"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";

// The header's menu on a phone: the main navigation, who is signed in and Sign out, behind one
// button. A native <details> disclosure (keyboard and screen readers handle it as a button that
// expands, with nothing to hand-write or load) rather than a menu widget: it holds links and a
// button, not menu items. It closes when the page changes.

export function PhoneMenu({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details ref={ref} className="relative sm:hidden">
      <summary className="cursor-pointer list-none rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden">
        Menu
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 space-y-3 rounded-xl border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        {children}
      </div>
    </details>
  );
}
