"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatCap } from "@/lib/client/limits";
import { applyOrgEdit } from "@/lib/client/org-edit";
import { nextSort, paginate, searchOrgs, sortOrgs, type Sort, type SortKey } from "@/lib/client/org-table-model";
import { usePlatformOrgs } from "@/lib/client/queries";
import { useUpdateOrg } from "@/lib/client/use-update-org";
import type { OrgConcurrencyRow } from "@/lib/contract/orgs";
import { OrgEditDialog } from "./org-edit-dialog";
import { ProblemAlert } from "./problem-alert";
import { Skeleton } from "./skeleton";
import { ScrollRegion } from "@/components/scroll-region";

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "name", label: "Organization", numeric: false },
  { key: "currentInFlight", label: "In flight", numeric: true },
  { key: "queued", label: "Queued", numeric: true },
  { key: "weight", label: "Weight", numeric: true },
  { key: "ratio", label: "Load ratio", numeric: true },
  { key: "rank", label: "Next slot", numeric: true },
  { key: "maxConcurrency", label: "Max concurrency", numeric: true },
];

/** Platform admins: every org, live; searchable, sortable by any column, 50 rows a page; editable. */
export function OrgTable() {
  const { data, error, isPending } = usePlatformOrgs();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>({ key: "name", direction: "ascending" });
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<OrgConcurrencyRow | null>(null);
  const update = useUpdateOrg();

  // A refetch while a save is in flight brings the old values; the pending edit stays on top.
  const pendingEdit = update.isPending ? update.variables : undefined;
  const orgs = useMemo(() => applyOrgEdit(data ?? [], pendingEdit), [data, pendingEdit]);
  const shown = useMemo(() => paginate(sortOrgs(searchOrgs(orgs, search), sort), page), [orgs, search, sort, page]);
  const matching = useMemo(() => searchOrgs(orgs, search).length, [orgs, search]);

  if (isPending) return <Skeleton label="Loading organizations" className="h-32 rounded-xl bg-zinc-200 dark:bg-zinc-800" />;
  if (error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load organizations: {error.message}</p>;

  const failedOrg = update.isError ? data.find((o) => o.organizationId === update.variables?.orgId)?.name : undefined;
  return (
    <section aria-labelledby="org-table-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="org-table-heading" className="text-lg font-semibold">Organizations</h2>
        <div>
          <label htmlFor="org-search" className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Search by name</label>
          <input
            id="org-search"
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            placeholder="e.g. Acme"
            className="mt-1 w-64 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-zinc-500 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
          />
        </div>
      </div>

      {update.isError && (
        <ProblemAlert title={`Could not save ${failedOrg ?? "the organization"}; the previous values are back.`} error={update.error} onDismiss={() => update.reset()} />
      )}

      <ScrollRegion label="Organizations">
        <table className="min-w-full divide-y divide-zinc-200 dark:divide-zinc-800">
          <caption className="sr-only">Organizations and their concurrency. Column headers sort the table.</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? sort.direction : undefined} className={`px-2 py-1.5 ${c.numeric ? "text-right" : "text-left"}`}>
                  <button
                    type="button"
                    onClick={() => setSort(nextSort(sort, c.key))}
                    className={`inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-semibold uppercase tracking-wide hover:bg-zinc-100 dark:hover:bg-zinc-800 ${sort.key === c.key ? "text-indigo-700 dark:text-indigo-300" : "text-zinc-600 dark:text-zinc-400"}`}
                  >
                    {c.label}
                    <span aria-hidden="true" className="w-3">{sort.key === c.key ? (sort.direction === "ascending" ? "▲" : "▼") : ""}</span>
                  </button>
                </th>
              ))}
              <th scope="col" className="sticky right-0 bg-white px-4 py-2 text-right text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {shown.rows.map((o) => {
              const saving = update.isPending && update.variables?.orgId === o.organizationId;
              return (
                <tr key={o.organizationId} data-testid={`org-row-${o.name}`} aria-busy={saving || undefined} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                  <td className="px-4 py-2 text-sm font-medium">
                    <Link href={`/orgs/${o.organizationId}`} className="text-indigo-700 hover:underline dark:text-indigo-300">{o.name}</Link>
                    {saving && <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">Saving…</span>}
                  </td>
                  <Num>{o.currentInFlight}</Num>
                  <Num>{o.queued}</Num>
                  <Num testId="weight">{o.weight}</Num>
                  <Num>{o.ratio.toFixed(2)}</Num>
                  <Num>{o.rank === null ? <span title="Nothing queued that could start">—</span> : o.rank === 1 ? <NextBadge /> : `#${o.rank}`}</Num>
                  <Num testId="max-concurrency">{formatCap(o.maxConcurrency)}</Num>
                  {/* Kept in view while the row scrolls sideways on a phone. */}
                  <td className="sticky right-0 bg-white px-4 py-2 text-right dark:bg-zinc-900">
                    <button
                      type="button"
                      onClick={() => setEditing(o)}
                      aria-label={`Edit ${o.name}`}
                      className="rounded-md border border-zinc-300 px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
            {shown.rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="px-4 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">No organization matches “{search}”.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollRegion>

      <Pagination page={shown.page} pageCount={shown.pageCount} total={matching} onPage={setPage} />

      <OrgEditDialog
        org={editing}
        onClose={() => setEditing(null)}
        onSave={(values) => {
          if (editing) update.mutate({ orgId: editing.organizationId, ...values });
          setEditing(null);
        }}
      />
    </section>
  );
}

function Num({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return <td data-testid={testId} className="px-4 py-2 text-right text-sm tabular-nums">{children}</td>;
}

function NextBadge() {
  return <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200">next</span>;
}

function Pagination({ page, pageCount, total, onPage }: { page: number; pageCount: number; total: number; onPage: (page: number) => void }) {
  const button = "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800";
  return (
    <nav aria-label="Organization pages" className="flex items-center justify-between text-sm text-zinc-600 dark:text-zinc-400">
      <p aria-live="polite">
        {total} organization{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        <button type="button" className={button} disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous page</button>
        <button type="button" className={button} disabled={page >= pageCount} onClick={() => onPage(page + 1)}>Next page</button>
      </div>
    </nav>
  );
}
