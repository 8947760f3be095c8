// Where a signed-out visitor goes back to after signing in (docs/api.md, "Sessions"): the page
// they asked for, which proxy.ts hands the pages in this request header, passed to the login
// page as `?next=`. Only a page of this app is followed — a path, never another site's address.

export const ASKED_PATH_HEADER = "x-slotwise-path";

export function safeNext(next: string | null | undefined): string | null {
  if (!next || next.length > 2000 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/login")) return null;
  return next;
}
