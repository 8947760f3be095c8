-- The triggers of 20261130200000 ran their statement through PL/pgSQL's plan cache, which
-- keeps the plan made for the first call of a session: after a large delete (an org's whole
-- history, a hash join over the table) a later single-execution delete would have reused it and
-- scanned all history. EXECUTE plans each call for the rows it is given. And since the history
-- no longer refuses a TRUNCATE of executions, it is emptied with them (DELETE, not TRUNCATE: a
-- TRUNCATE of both tables at once has the history in use while this trigger runs).
CREATE OR REPLACE FUNCTION "delete_history_of_deleted_executions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'DELETE FROM "execution_transition" t USING "deleted_executions" d WHERE t."execution_id" = d."id"';
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "clear_leases_of_deleted_workers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'UPDATE "execution" e SET "lease_worker_id" = NULL FROM "deleted_workers" w WHERE e."lease_worker_id" = w."id"';
  RETURN NULL;
END
$$;

CREATE FUNCTION "truncate_history_with_executions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "execution_transition";
  RETURN NULL;
END
$$;

CREATE TRIGGER "execution_truncate_history" AFTER TRUNCATE ON "execution"
  FOR EACH STATEMENT EXECUTE FUNCTION "truncate_history_with_executions"();
