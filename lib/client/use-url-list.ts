"use client";

import { usePathname } from "next/navigation";

// A list whose filters and page trail live in the URL (the executions list, the audit log), so
// a view can be shared and survives a reload. Changes go through the browser's own history API,
// which Next.js's router follows: the URL changes at once, so quick successive changes each
// build on the one before.

export function useUrlList() {
  const pathname = usePathname();
  function go(change: (next: URLSearchParams) => void, how: "push" | "replace") {
    const next = new URLSearchParams(window.location.search);
    change(next);
    const url = next.size ? `${pathname}?${next}` : pathname;
    if (how === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }
  return {
    go,
    /** Another filter is another list: back to its first page. */
    setFilter(name: string, value: string) {
      go((next) => {
        if (value) next.set(name, value);
        else next.delete(name);
        next.delete("pages");
      }, "replace");
    },
    /** The page trail (lib/executions/page-trail.ts); each page is a history entry. */
    setPages(pages: string | null) {
      go((next) => {
        if (pages) next.set("pages", pages);
        else next.delete("pages");
      }, "push");
    },
  };
}
