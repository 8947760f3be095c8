-- Two foreign keys sat on dispatch's hot path, each checked row by row: every history row
-- (execution_transition.execution_id) and every lease grant (execution.lease_worker_id) ran a
-- referential check that looks up and share-locks the parent row. Both are written only in
-- the statement that just updated (and so locked) that execution, or with the id of the
-- worker making the request, so the checks never caught anything; measured side by side they
-- cost 8–12% of dispatch throughput (bench/dispatch.ts). What the keys did on delete is kept,
-- once per statement instead of once per row:
--   deleting executions (directly, or by cascade from their org, project or parent) deletes
--   their history; deleting workers (by cascade from their org) clears their leases.
ALTER TABLE "execution_transition" DROP CONSTRAINT "execution_transition_execution_id_fkey";
ALTER TABLE "execution" DROP CONSTRAINT "execution_lease_worker_id_fkey";

CREATE FUNCTION "delete_history_of_deleted_executions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "execution_transition" t USING "deleted_executions" d WHERE t."execution_id" = d."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "execution_delete_history" AFTER DELETE ON "execution"
  REFERENCING OLD TABLE AS "deleted_executions"
  FOR EACH STATEMENT EXECUTE FUNCTION "delete_history_of_deleted_executions"();

CREATE FUNCTION "clear_leases_of_deleted_workers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "execution" e SET "lease_worker_id" = NULL FROM "deleted_workers" w WHERE e."lease_worker_id" = w."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "worker_delete_leases" AFTER DELETE ON "worker"
  REFERENCING OLD TABLE AS "deleted_workers"
  FOR EACH STATEMENT EXECUTE FUNCTION "clear_leases_of_deleted_workers"();
