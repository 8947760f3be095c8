// An org keeps its colour in the charts from one load to the next (the busiest-first order
// changes with load and window, so colouring by position made orgs swap colours): each org's
// colour comes from a hash of its id; two orgs on screen that hash alike take the next free
// colour, decided in the order of their ids, so the same set of orgs always looks the same.

export const SERIES_COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ec4899", "#0ea5e9", "#8b5cf6", "#ef4444", "#14b8a6"] as const;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** id → colour for the ids shown together. */
export function seriesColors(ids: readonly string[], palette: readonly string[] = SERIES_COLORS): Map<string, string> {
  const colors = new Map<string, string>();
  const used = new Set<number>();
  for (const id of [...new Set(ids)].sort()) {
    let slot = hash(id) % palette.length;
    // More orgs than colours: share, starting from the hashed one.
    for (let tries = 0; used.has(slot) && tries < palette.length; tries++) slot = (slot + 1) % palette.length;
    if (used.size < palette.length) used.add(slot);
    colors.set(id, palette[slot]!);
  }
  return colors;
}
