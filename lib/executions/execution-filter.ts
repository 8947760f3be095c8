import { z } from "zod";
import { executionStates } from "../contract/fields";

// Which executions a list, or a bulk kill or rerun, is about: one filter and one translation
// to SQL, so "kill everything matching" acts on exactly the rows the list shows.

export const executionFilterFields = {
  state: z.union([z.enum(executionStates), z.array(z.enum(executionStates))]).optional(),
  projectId: z.uuid().optional(),
  flowId: z.uuid().optional(),
  queue: z.string().min(1).max(120).optional(),
  parentId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional().describe("submitted at or after"),
  to: z.iso.datetime({ offset: true }).optional().describe("submitted before"),
};

export const executionFilter = z.strictObject(executionFilterFields);
export type ExecutionFilter = z.infer<typeof executionFilter>;

export const filterStates = (filter: ExecutionFilter) => (filter.state === undefined ? undefined : Array.isArray(filter.state) ? filter.state : [filter.state]);

/**
 * Adds the filter's conditions on `e` (execution) and `q` (its queue) through `add`, which
 * binds the value to the `?` in the condition.
 */
export function addFilterConditions(filter: ExecutionFilter, add: (sql: string, value: unknown) => void): void {
  const states = filterStates(filter);
  if (states) add("e.state = ANY(?::execution_state[])", states);
  if (filter.projectId) add("e.project_id = ?", filter.projectId);
  if (filter.flowId) add("e.flow_id = ?", filter.flowId);
  if (filter.queue) add("q.name = ?", filter.queue);
  if (filter.parentId) add("e.parent_id = ?", filter.parentId);
  if (filter.from) add("e.created_at >= ?", filter.from);
  if (filter.to) add("e.created_at < ?", filter.to);
}

/** Builds a WHERE list with numbered parameters. */
export function sqlConditions() {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  return { where, params, add };
}
