-- Live updates (GET /api/events) learn of changes from NOTIFY instead of polling for the newest
-- id. Ids are handed out when a row is written, not when it commits, so a change written first
-- and committed last sat below an id a dashboard had already seen and was never announced.
-- PostgreSQL delivers a notification when its transaction commits, to every listening app
-- instance; one per org and transaction (identical notifications are folded together).
-- The payload is the org's id, or empty for platform-wide changes. Deleting a finished
-- execution writes neither history nor audit (its history goes with it), so deletes notify too.
CREATE FUNCTION "notify_live_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('slotwise_change', coalesce(c."org_id"::text, ''))
    FROM (SELECT DISTINCT "org_id" FROM "changed_rows") c;
  RETURN NULL;
END
$$;

CREATE TRIGGER "execution_transition_live_change" AFTER INSERT ON "execution_transition"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "notify_live_change"();

CREATE TRIGGER "audit_event_live_change" AFTER INSERT ON "audit_event"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "notify_live_change"();

CREATE TRIGGER "execution_delete_live_change" AFTER DELETE ON "execution"
  REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "notify_live_change"();
