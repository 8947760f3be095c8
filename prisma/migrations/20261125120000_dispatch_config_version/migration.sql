-- Dispatch keeps each lane's cap configuration in memory (lib/scheduler/sql/lane-cache.ts)
-- instead of re-joining seven tables on every claim. Every change to a value a cap is made of
-- bumps this version, in the same transaction as the change, so the next claim in any app
-- instance sees a new version and reloads: "config changes apply to the next dispatch" holds.
CREATE TABLE "dispatch_config_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "dispatch_config_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dispatch_config_version_single_row_check" CHECK ("id" = 1)
);

INSERT INTO "dispatch_config_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_dispatch_config_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dispatch_config_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;

-- Statement-level, and only for the columns caps read, so a claim's own bookkeeping
-- (organization.first_dispatch_at, lane counters) never invalidates the cache.
CREATE TRIGGER "organization_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "weight", "max_concurrency", "jobs", "workflows", "access_requests", "max_paused_slots" ON "organization" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "organization_dispatch_config_truncate" AFTER TRUNCATE ON "organization" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "project_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "max_concurrent_jobs", "pool_id" ON "project" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "project_dispatch_config_truncate" AFTER TRUNCATE ON "project" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_pool_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "limit" ON "concurrency_pool" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_pool_dispatch_config_truncate" AFTER TRUNCATE ON "concurrency_pool" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "flow_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "concurrency_limit" ON "flow" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "flow_dispatch_config_truncate" AFTER TRUNCATE ON "flow" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "queue_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "name", "priority", "concurrency" ON "queue" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "queue_dispatch_config_truncate" AFTER TRUNCATE ON "queue" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "platform_settings_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "global_capacity", "default_project_concurrency" ON "platform_settings" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
-- A lane's own placement never changes, but a truncated lane table may hand out its ids
-- again (RESTART IDENTITY), and the controller concurrency of a parent is read per lane.
CREATE TRIGGER "dispatch_lane_dispatch_config_truncate" AFTER TRUNCATE ON "dispatch_lane" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "execution_dispatch_config" AFTER UPDATE OF "concurrency" ON "execution" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "execution_dispatch_config_truncate" AFTER TRUNCATE ON "execution" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
