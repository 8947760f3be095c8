// Keyset pages only know the way forward (nextCursor), so "previous" needs the cursors that
// led to the current page. They ride in one URL parameter, `pages=c1.c2.c3` (cursors are
// base64url, so "." never occurs in one); the last is the current page's.

export function pageTrail(raw: string | null) {
  const cursors = raw ? raw.split(".").filter(Boolean) : [];
  return {
    page: cursors.length + 1,
    cursor: cursors.at(-1),
    /** The trail after following nextCursor. */
    next: (cursor: string) => [...cursors, cursor].join("."),
    /** The trail one page back, null on the way back to the first page. */
    previous: () => (cursors.length > 1 ? cursors.slice(0, -1).join(".") : null),
  };
}
