// Since when a queued execution has waited to start (docs/operations.md, "Alerts"): the latest
// of its submission, its start time (a delayed one came due then) and its last return to the
// queue (released, its lease expired, resumed) — so a retried or delayed execution does not
// read as waiting since it was first submitted. One expression for the alerts and the Workers
// tab, so the two never disagree. `e` is the execution's alias.
export const waitingSinceSql = (e: string) =>
  `greatest(${e}.created_at, ${e}.start_after,
     (SELECT t.at FROM execution_transition t WHERE t.execution_id = ${e}.id AND t.to_state = 'QUEUED' ORDER BY t.id DESC LIMIT 1))`;
