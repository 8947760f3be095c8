import type { OrgConcurrencyRow } from "../contract/orgs";

// What the platform overview's org table shows, as pure functions: search by name, sort by
// any column, one page at a time (1 000 orgs render as 50 rows, not 1 000).

export type SortKey = "name" | "currentInFlight" | "queued" | "weight" | "ratio" | "rank" | "maxConcurrency";
export type SortDirection = "ascending" | "descending";
export interface Sort {
  key: SortKey;
  direction: SortDirection;
}

export const PAGE_SIZE = 50;

/** Orgs that cannot take the next slot (rank null) and orgs without a cap (0) rank as the largest values. */
function sortValue(org: OrgConcurrencyRow, key: SortKey): number | string {
  if (key === "name") return org.name;
  if (key === "rank") return org.rank ?? Number.POSITIVE_INFINITY;
  if (key === "maxConcurrency") return org.maxConcurrency === 0 ? Number.POSITIVE_INFINITY : org.maxConcurrency;
  return org[key];
}

const byName = (a: OrgConcurrencyRow, b: OrgConcurrencyRow) => a.name.localeCompare(b.name, undefined, { sensitivity: "base", numeric: true });

export function sortOrgs(orgs: readonly OrgConcurrencyRow[], sort: Sort): OrgConcurrencyRow[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...orgs].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const order = typeof x === "string" || typeof y === "string" ? String(x).localeCompare(String(y), undefined, { sensitivity: "base", numeric: true }) : x === y ? 0 : x < y ? -1 : 1;
    // Equal values keep a stable, readable order: by name, whatever the direction.
    return order !== 0 ? sign * order : byName(a, b);
  });
}

export function searchOrgs(orgs: readonly OrgConcurrencyRow[], search: string): readonly OrgConcurrencyRow[] {
  const needle = search.trim().toLocaleLowerCase();
  return needle ? orgs.filter((o) => o.name.toLocaleLowerCase().includes(needle)) : orgs;
}

export function paginate<T>(items: readonly T[], page: number, size = PAGE_SIZE): { rows: T[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, page), pageCount);
  return { rows: items.slice((current - 1) * size, current * size), page: current, pageCount };
}

/** A header click: the same column flips direction, a new one starts ascending (names) or descending (numbers: biggest first). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  return { key, direction: key === "name" || key === "rank" ? "ascending" : "descending" };
}
