-- Dispatch keeps the next queued executions of each lane in memory between claims
-- (lib/scheduler/sql/head-cache.ts). A lane's version changes whenever its queued count
-- does, which is every time an execution enters or leaves its queue (submit, claim, kill,
-- cancel, resume, requeue, reconcile): a claim that finds the version it cached knows the
-- lane's queue is exactly as it left it. A row trigger, so no code path can forget it.
ALTER TABLE "dispatch_lane" ADD COLUMN "version" BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION "bump_dispatch_lane_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."version" := OLD."version" + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER "dispatch_lane_version" BEFORE UPDATE ON "dispatch_lane"
  FOR EACH ROW WHEN (OLD."queued" IS DISTINCT FROM NEW."queued") EXECUTE FUNCTION "bump_dispatch_lane_version"();
