import { z } from "zod";
import { badRequest } from "../core/errors";
import type { Db } from "../db/transaction";
import { addFilterConditions, executionFilterFields, sqlConditions } from "./execution-filter";
import { EXECUTION_COLUMNS, EXECUTION_FROM, executionView, type ExecutionRow, type ExecutionView } from "./execution-view";
import { waitingReasons } from "../dispatch/waiting-reasons";
import type { Reason } from "../dispatch/policy/explain";

// Lists executions newest first with filters and keyset pagination (an opaque cursor), so
// paging stays fast however many executions an org has. Always scoped to the caller's orgs.

export const listExecutionsQuery = z.strictObject({
  orgId: z.uuid().optional(),
  ...executionFilterFields,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export type ListExecutionsQuery = z.infer<typeof listExecutionsQuery>;

function decodeCursor(cursor: string): { seq: number } {
  const seq = Number(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Number.isSafeInteger(seq) || seq <= 0) throw badRequest("cursor is not valid", [{ field: "cursor", message: "use nextCursor from a previous page" }]);
  return { seq };
}

export async function listExecutions(db: Db, scope: readonly string[] | "all", query: ListExecutionsQuery): Promise<{ items: (ExecutionView & { waitingFor: Reason | null })[]; nextCursor: string | null }> {
  const { where, params, add } = sqlConditions();
  if (scope !== "all") add("e.org_id = ANY(?::uuid[])", scope);
  if (query.orgId) add("e.org_id = ?", query.orgId);
  addFilterConditions(query, add);
  if (query.cursor) add("e.seq < ?", decodeCursor(query.cursor).seq);
  params.push(query.limit + 1);
  const { rows } = await db.query<ExecutionRow>(
    `SELECT ${EXECUTION_COLUMNS} FROM ${EXECUTION_FROM}
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY e.seq DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const waiting = await waitingReasons(db, page);
  return {
    items: page.map((r) => ({ ...executionView(r), waitingFor: waiting.get(r.id) ?? null })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(String(last.seq)).toString("base64url") : null,
  };
}
