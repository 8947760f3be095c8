-- Limits and admission v2 (docs/limits.md): concurrency keys, rate limits, delayed start,
-- idempotency keys, debounce and backlog caps, all in the one cap model of dispatch.

-- ─── Concurrency keys ───────────────────────────────────────────────────────
-- A rule limits concurrency (and/or the rate of starts) per distinct key value, over the whole
-- org, one flow or one queue. The key is the submission's concurrencyKey (source 'submission')
-- or a value of its payload at a JSON pointer (source 'payload').
CREATE TABLE "concurrency_key_rule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "flow_id" UUID,
    "queue_id" UUID,
    "source" TEXT NOT NULL,
    "path" TEXT,
    "limit" INTEGER,
    "rate_limit" INTEGER,
    "rate_period_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "concurrency_key_rule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "concurrency_key_rule_scope_check" CHECK ("flow_id" IS NULL OR "queue_id" IS NULL),
    CONSTRAINT "concurrency_key_rule_source_check" CHECK (("source" = 'payload' AND "path" IS NOT NULL) OR ("source" = 'submission' AND "path" IS NULL)),
    CONSTRAINT "concurrency_key_rule_limit_check" CHECK ("limit" IS NULL OR "limit" >= 1),
    CONSTRAINT "concurrency_key_rule_rate_check" CHECK (("rate_limit" IS NULL) = ("rate_period_ms" IS NULL) AND ("rate_limit" IS NULL OR ("rate_limit" >= 1 AND "rate_period_ms" >= 1))),
    CONSTRAINT "concurrency_key_rule_limits_something_check" CHECK ("limit" IS NOT NULL OR "rate_limit" IS NOT NULL)
);
CREATE UNIQUE INDEX "concurrency_key_rule_org_id_name_key" ON "concurrency_key_rule"("org_id", "name");
CREATE INDEX "concurrency_key_rule_org_id_idx" ON "concurrency_key_rule"("org_id");
ALTER TABLE "concurrency_key_rule" ADD CONSTRAINT "concurrency_key_rule_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "concurrency_key_rule" ADD CONSTRAINT "concurrency_key_rule_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "concurrency_key_rule" ADD CONSTRAINT "concurrency_key_rule_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One key value's own limit (a large customer gets 10, everyone else the rule's 2).
CREATE TABLE "concurrency_key_override" (
    "rule_id" UUID NOT NULL,
    "key_value" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),

    CONSTRAINT "concurrency_key_override_pkey" PRIMARY KEY ("rule_id", "key_value"),
    CONSTRAINT "concurrency_key_override_limit_check" CHECK ("limit" >= 1)
);
ALTER TABLE "concurrency_key_override" ADD CONSTRAINT "concurrency_key_override_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "concurrency_key_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An execution carries the keys of the rules it fell under when it was submitted, and so does
-- its lane: executions with other keys wait in other lanes, so one full key never holds up another.
ALTER TABLE "execution" ADD COLUMN "concurrency_key" TEXT,
    ADD COLUMN "key_rule_ids" UUID[] NOT NULL DEFAULT '{}',
    ADD COLUMN "key_values" TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE "dispatch_lane" ADD COLUMN "key_rule_ids" UUID[] NOT NULL DEFAULT '{}',
    ADD COLUMN "key_values" TEXT[] NOT NULL DEFAULT '{}';

-- ─── Rate limits and backlog caps ───────────────────────────────────────────
ALTER TABLE "organization" ADD COLUMN "rate_limit" INTEGER, ADD COLUMN "rate_period_ms" INTEGER, ADD COLUMN "max_queued" INTEGER,
    ADD CONSTRAINT "organization_rate_check" CHECK (("rate_limit" IS NULL) = ("rate_period_ms" IS NULL) AND ("rate_limit" IS NULL OR ("rate_limit" >= 1 AND "rate_period_ms" >= 1))),
    ADD CONSTRAINT "organization_max_queued_check" CHECK ("max_queued" IS NULL OR "max_queued" >= 0);
ALTER TABLE "flow" ADD COLUMN "rate_limit" INTEGER, ADD COLUMN "rate_period_ms" INTEGER, ADD COLUMN "max_queued" INTEGER,
    ADD COLUMN "debounce_source" TEXT, ADD COLUMN "debounce_path" TEXT, ADD COLUMN "debounce_delay_ms" INTEGER, ADD COLUMN "debounce_max_delay_ms" INTEGER,
    ADD CONSTRAINT "flow_rate_check" CHECK (("rate_limit" IS NULL) = ("rate_period_ms" IS NULL) AND ("rate_limit" IS NULL OR ("rate_limit" >= 1 AND "rate_period_ms" >= 1))),
    ADD CONSTRAINT "flow_max_queued_check" CHECK ("max_queued" IS NULL OR "max_queued" >= 1),
    ADD CONSTRAINT "flow_debounce_check" CHECK (
      ("debounce_source" IS NULL AND "debounce_path" IS NULL AND "debounce_delay_ms" IS NULL AND "debounce_max_delay_ms" IS NULL)
      OR ("debounce_source" IN ('submission', 'payload') AND ("debounce_source" = 'payload') = ("debounce_path" IS NOT NULL)
          AND "debounce_delay_ms" >= 1 AND "debounce_max_delay_ms" >= "debounce_delay_ms"));
ALTER TABLE "queue" ADD COLUMN "rate_limit" INTEGER, ADD COLUMN "rate_period_ms" INTEGER,
    ADD CONSTRAINT "queue_rate_check" CHECK (("rate_limit" IS NULL) = ("rate_period_ms" IS NULL) AND ("rate_limit" IS NULL OR ("rate_limit" >= 1 AND "rate_period_ms" >= 1)));
ALTER TABLE "platform_settings" ADD COLUMN "default_max_queued" INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT "platform_settings_default_max_queued_check" CHECK ("default_max_queued" >= 0);

-- Each start under a rate limit, for as long as it counts against its window (sliding: at
-- most `limit` starts in any window of `period`). Written by the claim that starts it; rows
-- whose window has passed are swept.
CREATE TABLE "rate_start" (
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT NOT NULL,
    -- Microseconds, like the history's times: a window rounded to milliseconds could end
    -- before a start's own window does.
    "expires_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_start_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rate_start_expires_at_idx" ON "rate_start"("expires_at");

-- ─── Delayed start and debounce ─────────────────────────────────────────────
-- A scheduled execution is QUEUED but not in its lane yet: waiting_lane_id names the lane it
-- joins at start_after (dispatch moves it there when due), so lanes, their counters, their heads
-- and everything that reads them never see work that cannot start.
ALTER TABLE "execution" ADD COLUMN "start_after" TIMESTAMPTZ(6),
    ADD COLUMN "waiting_lane_id" BIGINT,
    ADD COLUMN "idempotency_key" TEXT,
    ADD COLUMN "debounce_key" TEXT,
    ADD COLUMN "debounce_deadline" TIMESTAMPTZ(3);
-- No foreign keys to the lane: empty lanes are deleted (below), and keeping a finished
-- execution's lane_id would cost an index over every execution for ON DELETE SET NULL. Only
-- live and waiting executions need their lane, and the sweeper never deletes a lane they use.
ALTER TABLE "execution" DROP CONSTRAINT "execution_lane_id_fkey";
ALTER TABLE "execution" DROP CONSTRAINT "execution_queued_lane_check",
    ADD CONSTRAINT "execution_queued_lane_check" CHECK ("state" <> 'QUEUED' OR (("lane_id" IS NULL) <> ("waiting_lane_id" IS NULL))),
    ADD CONSTRAINT "execution_waiting_check" CHECK ("waiting_lane_id" IS NULL OR ("state" = 'QUEUED' AND "start_after" IS NOT NULL)),
    ADD CONSTRAINT "execution_keys_check" CHECK (cardinality("key_rule_ids") = cardinality("key_values"));
CREATE INDEX "execution_scheduled_idx" ON "execution"("start_after") WHERE "waiting_lane_id" IS NOT NULL;
CREATE INDEX "execution_waiting_lane_idx" ON "execution"("waiting_lane_id") WHERE "waiting_lane_id" IS NOT NULL;
CREATE INDEX "execution_waiting_org_idx" ON "execution"("org_id", "flow_id") WHERE "waiting_lane_id" IS NOT NULL;
CREATE INDEX "execution_debounce_idx" ON "execution"("flow_id", "debounce_key") WHERE "waiting_lane_id" IS NOT NULL AND "debounce_key" IS NOT NULL;

-- Lanes per key value come and go with the keys (and lanes per parent with pipelines): empty
-- ones with nothing live or waiting in them are deleted by the sweeper (docs/limits.md), which
-- finds what is live in a lane by this index.
CREATE INDEX "execution_lane_live_idx" ON "execution"("lane_id") WHERE "state" IN ('RUNNING', 'PAUSED');

-- ─── Idempotency keys ───────────────────────────────────────────────────────
CREATE TABLE "idempotency_key" (
    "org_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "execution_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("org_id", "key")
);
CREATE INDEX "idempotency_key_expires_at_idx" ON "idempotency_key"("expires_at");
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Deferred: the key is claimed (INSERT … ON CONFLICT) before the execution it names is inserted.
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;

-- ─── What dispatch caches ───────────────────────────────────────────────────
-- The new inputs of caps bump the configuration version like the old ones
-- (migration 20261125120000_dispatch_config_version).
DROP TRIGGER "organization_dispatch_config" ON "organization";
CREATE TRIGGER "organization_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "weight", "max_concurrency", "jobs", "workflows", "access_requests", "max_paused_slots", "rate_limit", "rate_period_ms" ON "organization" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
DROP TRIGGER "flow_dispatch_config" ON "flow";
CREATE TRIGGER "flow_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "concurrency_limit", "rate_limit", "rate_period_ms" ON "flow" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
DROP TRIGGER "queue_dispatch_config" ON "queue";
CREATE TRIGGER "queue_dispatch_config" AFTER INSERT OR DELETE OR UPDATE OF "name", "priority", "concurrency", "rate_limit", "rate_period_ms" ON "queue" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_key_rule_dispatch_config" AFTER INSERT OR DELETE OR UPDATE ON "concurrency_key_rule" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_key_rule_dispatch_config_truncate" AFTER TRUNCATE ON "concurrency_key_rule" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_key_override_dispatch_config" AFTER INSERT OR DELETE OR UPDATE ON "concurrency_key_override" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();
CREATE TRIGGER "concurrency_key_override_dispatch_config_truncate" AFTER TRUNCATE ON "concurrency_key_override" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dispatch_config_version"();

-- ─── Lanes a claim has not seen change ──────────────────────────────────────
-- A claim reads only the lanes that changed since the last snapshot its process took
-- (docs/dispatch.md, "Many lanes"): every change of a lane row records the transaction that
-- made it, and a claim asks for the rows changed by transactions at or after the oldest one
-- still running at its previous snapshot — every change it has not seen is among them,
-- whatever order transactions commit in.
ALTER TABLE "dispatch_lane" ADD COLUMN "changed_xid" xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX "dispatch_lane_changed_xid_idx" ON "dispatch_lane"("changed_xid");
CREATE OR REPLACE FUNCTION "bump_dispatch_lane_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."version" := OLD."version" + 1;
  NEW."changed_xid" := pg_current_xact_id();
  RETURN NEW;
END
$$;
